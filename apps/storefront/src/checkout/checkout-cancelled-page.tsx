/** `/checkout/cancelled`: the customer left the payment page; nothing was charged and the photos wait for them. */
import { Link } from 'react-router';

export function CheckoutCancelledPage() {
  return (
    <section className="card message">
      <title>Payment cancelled · RestoreClick</title>
      <h1>No problem, nothing was charged</h1>
      <p>
        You left the payment page before paying. Your photos are still in your basket, so you can
        change your choice or pay whenever you are ready.
      </p>
      <p>
        <Link className="button button-primary" to="/">
          Back to your photos
        </Link>
      </p>
    </section>
  );
}
