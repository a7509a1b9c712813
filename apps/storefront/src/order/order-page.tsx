/** `/orders/:token`: the customer's order, live: status, photos before and after, downloads, sharing, emails. */
import { Link, useParams } from 'react-router';
import { errorMessage, isNotFound } from '../error-message';
import { formatDateTime, formatMoney } from '../format';
import { DownloadButtons } from './download-buttons';
import { NotificationsPanel } from './notifications-panel';
import { OrderProgress } from './order-progress';
import { OrderTimeline } from './order-timeline';
import { PhotoComparison } from './photo-comparison';
import { PhotoPrivacy } from './photo-privacy';
import { ResendEmailButtons } from './resend-email-buttons';
import { ShareForm } from './share-form';
import { type LiveState, useLiveOrder } from './use-live-order';

const LIVE_TEXT: Record<LiveState, string> = {
  connecting: 'Connecting to live updates…',
  live: 'Live: this page updates by itself',
  reconnecting: 'Connection lost, reconnecting…',
  stopped: 'Live updates stopped. Reload the page to see the latest state.',
};

export function OrderPage() {
  const { token = '' } = useParams();
  const { order, liveState } = useLiveOrder(token);

  if (order.isPending) {
    return (
      <p role="status" className="card message">
        Loading your order…
      </p>
    );
  }
  if (order.isError) {
    const notFound = isNotFound(order.error);
    return (
      <section className="card message">
        <title>{`${notFound ? 'Order not found' : 'Order unavailable'} · RestoreClick`}</title>
        <h1>{notFound ? 'No order matches this link' : 'We could not load your order'}</h1>
        <p role="alert">
          {notFound
            ? 'Check that you copied the whole link from your email. Links from a share email open a download, not this page.'
            : errorMessage(order.error)}
        </p>
        <p className="actions">
          {!notFound && (
            <button type="button" className="button" onClick={() => void order.refetch()}>
              Try again
            </button>
          )}
          <Link to="/">Back to the shop</Link>
        </p>
      </section>
    );
  }

  const data = order.data;
  return (
    <article className="order" aria-labelledby="order-heading">
      <title>{`Order ${data.orderNumber} · RestoreClick`}</title>
      <header className="page-header">
        <h1 id="order-heading">Order {data.orderNumber}</h1>
        <p className="muted">
          Placed {formatDateTime(data.createdAt)} · {formatMoney(data.totalAmount, data.currency)}
        </p>
        <p className={`live live-${liveState}`}>{LIVE_TEXT[liveState]}</p>
      </header>

      <OrderProgress order={data} />

      <section className="card" aria-labelledby="order-photos-heading">
        <h2 id="order-photos-heading">Your photos</h2>
        {data.images.length === 0 ? (
          <p className="empty">This order has no photos.</p>
        ) : (
          <ul className="photo-grid">
            {data.images.map((image) => (
              <li key={image.id}>
                <PhotoComparison image={image} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <div className="order-columns">
        <div>
          <DownloadButtons token={token} order={data} />
          <ShareForm
            token={token}
            canShare={data.canShare}
            photosDeleted={data.privacy.deletedAt !== null}
          />
          <PhotoPrivacy token={token} order={data} />
        </div>
        <div>
          <NotificationsPanel token={token} />
          <section className="card" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">Timeline</h2>
            <OrderTimeline entries={data.timeline} />
          </section>
          <ResendEmailButtons token={token} order={data} />
        </div>
      </div>
    </article>
  );
}
