/** The customer and the money: amounts, Stripe's ids, and a link to the payment in Stripe's dashboard. */
import { Link } from 'react-router';
import type { OrderDetail } from '../api-types';
import { formatMoney } from '../format';

export function OrderSidebar({ order }: { order: OrderDetail }) {
  const { customer, payment } = order;
  const money = (amount: number) => formatMoney(amount, payment.currency);
  return (
    <>
      <section className="panel" aria-labelledby="customer-heading">
        <h2 id="customer-heading">Customer</h2>
        <dl className="facts">
          <dt>Name</dt>
          <dd>{customer.name ?? '—'}</dd>
          <dt>Email</dt>
          <dd>
            <a href={`mailto:${customer.email}`}>{customer.email}</a>
          </dd>
        </dl>
        <p className="small">
          <Link to={`/orders?${new URLSearchParams({ q: customer.email })}`}>
            All orders of this customer
          </Link>
        </p>
      </section>
      <section className="panel" aria-labelledby="payment-heading">
        <h2 id="payment-heading">Payment</h2>
        <dl className="facts">
          <dt>Total</dt>
          <dd>{money(payment.totalAmount)}</dd>
          <dt>Paid</dt>
          <dd>{payment.amountPaid === null ? 'Not paid' : money(payment.amountPaid)}</dd>
          <dt>Refunded</dt>
          <dd>{money(payment.amountRefunded)}</dd>
          <dt>Refundable</dt>
          <dd>{money(order.actions.refundableAmount)}</dd>
          <dt>Checkout session</dt>
          <dd className="mono small break">{payment.stripeCheckoutSessionId ?? '—'}</dd>
          <dt>Payment intent</dt>
          <dd className="mono small break">{payment.stripePaymentIntentId ?? '—'}</dd>
        </dl>
        {payment.stripeDashboardUrl && (
          <p className="small">
            <a href={payment.stripeDashboardUrl} target="_blank" rel="noreferrer">
              Open in the Stripe dashboard ↗
            </a>
          </p>
        )}
      </section>
    </>
  );
}
