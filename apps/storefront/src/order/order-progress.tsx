/** The order's status in words, its progress bar and how many photos are at each stage. */
import { useId } from 'react';
import type { CustomerOrder } from '@restoreclick/sdk';
import { ORDER_STATUS_TEXT } from './order-status-text';

export function OrderProgress({ order }: { order: CustomerOrder }) {
  const progressId = useId();
  const text = ORDER_STATUS_TEXT[order.status];
  const { done, processing, pending, failed, deleted } = order.stats;
  const counts = [
    done > 0 || deleted === 0 ? `${done} restored` : null,
    processing > 0 ? `${processing} in progress` : null,
    pending > 0 ? `${pending} waiting` : null,
    failed > 0 ? `${failed} could not be restored` : null,
    deleted > 0 ? `${deleted} deleted` : null,
  ].filter(Boolean);

  return (
    <section className="card" aria-labelledby={`${progressId}-heading`}>
      <h2 id={`${progressId}-heading`}>Status</h2>
      <p role="status" aria-label="Order status" className={`status-badge status-${order.status}`}>
        {text.label}
      </p>
      <p>{text.explanation}</p>
      <div className="progress-row">
        <label htmlFor={progressId}>Restoration progress</label>
        <progress id={progressId} max={100} value={order.progressPercent}>
          {order.progressPercent}%
        </progress>
        <span className="progress-value">{order.progressPercent}%</span>
      </div>
      <p className="muted">
        {order.images.length === 1 ? '1 photo' : `${order.images.length} photos`}:{' '}
        {counts.join(' · ')}
      </p>
    </section>
  );
}
