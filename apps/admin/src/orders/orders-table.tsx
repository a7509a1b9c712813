/** The orders as a dense table; a row (or its order number, for the keyboard) opens the order. */
import { Link, useLocation, useNavigate } from 'react-router';
import type { OrderSummary } from '../api-types';
import { formatDateTime, formatMoney } from '../format';
import { ORDER_STATUS_LABELS, ORDER_STATUS_TONES } from '../status-labels';
import { Badge } from '../ui/badge';

export function OrdersTable({ orders, stale }: { orders: OrderSummary[]; stale: boolean }) {
  const navigate = useNavigate();
  const location = useLocation();
  // The order page's "Back to orders" returns to this list with its filters.
  const state = { listSearch: location.search };

  return (
    <table className={stale ? 'data-table stale' : 'data-table'}>
      <thead>
        <tr>
          <th scope="col">Order</th>
          <th scope="col">Customer</th>
          <th scope="col">Status</th>
          <th scope="col" className="numeric">
            Photos
          </th>
          <th scope="col" className="numeric">
            Total
          </th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {orders.map((order) => (
          <tr
            key={order.id}
            className="clickable"
            onClick={(event) => {
              if ((event.target as HTMLElement).closest('a')) return;
              void navigate(`/orders/${order.id}`, { state });
            }}
          >
            <th scope="row">
              <Link to={`/orders/${order.id}`} state={state} className="mono">
                {order.orderNumber}
              </Link>
            </th>
            <td>
              <span className="stack">
                <span>{order.customerName ?? '—'}</span>
                <span className="muted">{order.customerEmail}</span>
              </span>
            </td>
            <td>
              <Badge tone={ORDER_STATUS_TONES[order.status]}>
                {ORDER_STATUS_LABELS[order.status]}
              </Badge>
            </td>
            <td className="numeric">
              {order.photoCount}
              {order.failedPhotoCount > 0 && (
                <span className="text-danger"> · {order.failedPhotoCount} failed</span>
              )}
            </td>
            <td className="numeric">
              <span className="stack">
                <span>{formatMoney(order.totalAmount, order.currency)}</span>
                {order.amountRefunded > 0 && (
                  <span className="muted">
                    {formatMoney(order.amountRefunded, order.currency)} refunded
                  </span>
                )}
              </span>
            </td>
            <td>
              <time dateTime={order.createdAt}>{formatDateTime(order.createdAt)}</time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
