/**
 * One order, everything an operator needs: customer, payment, its automatic refunds, each photo before and after
 * with its attempts, what happened (order events and admin actions), its emails, and the actions. While the
 * order is still moving (paid, processing, a photo in flight, a change just made) the page reads it again every
 * few seconds.
 */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useRef } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import type { OrderDetail } from '../api-types';
import { errorCode } from '../error-message';
import { formatDateTime } from '../format';
import { ORDER_STATUS_LABELS, ORDER_STATUS_TONES, WORKING_ORDER_STATUSES } from '../status-labels';
import { useTRPC } from '../trpc';
import { Badge } from '../ui/badge';
import { ErrorNotice, Loading } from '../ui/query-states';
import { AutomaticRefunds } from './automatic-refunds';
import { OrderActions } from './order-actions';
import { OrderEmails } from './order-emails';
import { OrderImages } from './order-images';
import { OrderSidebar } from './order-sidebar';
import { OrderTimeline } from './order-timeline';
import { FollowOrderContext } from './use-order-changed';

const REFRESH_MS = 3_000;
/** How long the page keeps refreshing after an action whose effect arrives later. */
const FOLLOW_AFTER_ACTION_MS = 60_000;

function isMoving(order: OrderDetail): boolean {
  return (
    WORKING_ORDER_STATUSES.includes(order.status) ||
    order.images.some((image) => image.status === 'pending' || image.status === 'processing') ||
    order.emails.some((email) => email.status === 'queued' || email.status === 'sending')
  );
}

export function OrderDetailPage() {
  const { orderId = '' } = useParams();
  const location = useLocation();
  const trpc = useTRPC();
  const followUntil = useRef(0);
  const follow = useCallback(() => {
    followUntil.current = Date.now() + FOLLOW_AFTER_ACTION_MS;
  }, []);
  const isFollowing = (data: OrderDetail) => isMoving(data) || Date.now() < followUntil.current;
  const order = useQuery({
    ...trpc.orders.get.queryOptions({ id: orderId }),
    refetchInterval: (query) => {
      const data = query.state.data;
      if (!data) return false;
      return isFollowing(data) ? REFRESH_MS : false;
    },
  });
  const listSearch =
    typeof location.state === 'object' &&
    location.state !== null &&
    'listSearch' in location.state &&
    typeof location.state.listSearch === 'string'
      ? location.state.listSearch
      : '';

  const back = (
    <Link to={`/orders${listSearch}`} className="back-link">
      ← Back to orders
    </Link>
  );

  if (order.isPending) {
    return (
      <>
        {back}
        <Loading what="the order" />
      </>
    );
  }
  const detail = order.data;
  if (!detail) {
    const notFound =
      errorCode(order.error) === 'NOT_FOUND' || errorCode(order.error) === 'BAD_REQUEST';
    return (
      <>
        {back}
        <title>Order not found · RestoreClick Admin</title>
        {notFound && <h1>Order not found</h1>}
        <ErrorNotice
          error={order.error}
          onRetry={notFound ? undefined : () => void order.refetch()}
        />
      </>
    );
  }

  return (
    <FollowOrderContext value={follow}>
      <title>{`Order ${detail.orderNumber} · RestoreClick Admin`}</title>
      {back}
      <div className="page-heading">
        <h1>
          Order <span className="mono">{detail.orderNumber}</span>
        </h1>
        <span role="status" aria-label="Order status">
          <Badge tone={ORDER_STATUS_TONES[detail.status]}>
            {ORDER_STATUS_LABELS[detail.status]}
          </Badge>
        </span>
        <p className="muted heading-meta">
          Created {formatDateTime(detail.createdAt)}
          {detail.paidAt && <> · paid {formatDateTime(detail.paidAt)}</>}
          {detail.completedAt && <> · completed {formatDateTime(detail.completedAt)}</>}
          {detail.cancelledAt && <> · cancelled {formatDateTime(detail.cancelledAt)}</>}
          {isMoving(detail) && <span className="live"> · updates by itself while it changes</span>}
        </p>
      </div>
      {order.isError && <ErrorNotice error={order.error} onRetry={() => void order.refetch()} />}
      <div className="order-layout">
        <div className="order-main">
          <AutomaticRefunds order={detail} refreshing={() => isFollowing(detail)} />
          <OrderImages order={detail} />
          <OrderTimeline entries={detail.timeline} />
        </div>
        <aside className="order-side" aria-label="Customer, payment and actions">
          <OrderSidebar order={detail} />
          <OrderActions order={detail} />
          <OrderEmails order={detail} />
        </aside>
      </div>
    </FollowOrderContext>
  );
}
