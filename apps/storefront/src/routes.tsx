/** The storefront's route table: four pages and a friendly answer for anything else. */
import { createBrowserRouter, Link } from 'react-router';
import { CheckoutCancelledPage } from './checkout/checkout-cancelled-page';
import { CheckoutSuccessPage } from './checkout/checkout-success-page';
import { Layout } from './layout';
import { OrderPage } from './order/order-page';
import { UploadPage } from './upload/upload-page';

function NotFoundPage() {
  return (
    <section className="card message">
      <title>Page not found · RestoreClick</title>
      <h1>This page does not exist</h1>
      <p>
        <Link to="/">Go to the shop</Link>, or open your order with the link from our email.
      </p>
    </section>
  );
}

function CrashPage() {
  return (
    <main id="content">
      <section className="card message">
        <h1>Something went wrong</h1>
        <p role="alert">This page stopped working. Reload it, or come back in a minute.</p>
        <p>
          <a href="/">Go to the shop</a>
        </p>
      </section>
    </main>
  );
}

export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <CrashPage />,
    children: [
      { index: true, element: <UploadPage /> },
      { path: 'checkout/success', element: <CheckoutSuccessPage /> },
      { path: 'checkout/cancelled', element: <CheckoutCancelledPage /> },
      { path: 'orders/:token', element: <OrderPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
