/** The dashboard's route table: sign-in outside, every other page behind the session check. */
import { createBrowserRouter, Link, Navigate } from 'react-router';
import { RequireSession } from './auth/session';
import { SignInPage } from './auth/sign-in-page';
import { EmailDetailPage } from './emails/email-detail-page';
import { EmailsPage } from './emails/emails-page';
import { Layout } from './layout';
import { OperationsPage } from './operations/operations-page';
import { OrderDetailPage } from './orders/order-detail-page';
import { OrdersPage } from './orders/orders-page';
import { PrivacyPage } from './privacy/privacy-page';

function NotFoundPage() {
  return (
    <section className="panel">
      <title>Not found · RestoreClick Admin</title>
      <h1>This page does not exist</h1>
      <p>
        <Link to="/orders">Go to the orders</Link>
      </p>
    </section>
  );
}

function CrashPage() {
  return (
    <main id="content" className="centered">
      <section className="panel" role="alert">
        <h1>Something went wrong</h1>
        <p>
          This page stopped working. Reload it; if it happens again, the browser console has the
          details.
        </p>
        <p>
          <a href="/orders">Go to the orders</a>
        </p>
      </section>
    </main>
  );
}

export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage />, errorElement: <CrashPage /> },
  {
    element: <RequireSession />,
    errorElement: <CrashPage />,
    children: [
      {
        element: <Layout />,
        children: [
          { index: true, element: <Navigate to="/orders" replace /> },
          { path: 'orders', element: <OrdersPage /> },
          { path: 'orders/:orderId', element: <OrderDetailPage /> },
          { path: 'emails', element: <EmailsPage /> },
          { path: 'emails/:emailId', element: <EmailDetailPage /> },
          { path: 'operations', element: <OperationsPage /> },
          { path: 'privacy', element: <PrivacyPage /> },
          {
            path: 'business',
            // The charts library is the largest dependency: only this page loads it.
            lazy: () =>
              import('./business/business-page').then((module) => ({
                Component: module.BusinessPage,
              })),
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
