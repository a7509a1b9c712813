/**
 * Each photo of the order: original and restored side by side, its status and error, and every attempt with its
 * model and place in the fallback chain.
 */
import { useMutation } from '@tanstack/react-query';
import type { OrderDetail, OrderImage } from '../api-types';
import { formatCents, formatDuration } from '../format';
import {
  ATTEMPT_STATUS_LABELS,
  ATTEMPT_STATUS_TONES,
  IMAGE_STATUS_LABELS,
  IMAGE_STATUS_TONES,
} from '../status-labels';
import { useTRPC } from '../trpc';
import { ActionButton } from '../ui/action-button';
import { Badge } from '../ui/badge';
import { Empty } from '../ui/query-states';
import { MutationMessage } from '../ui/mutation-message';
import { attemptPath, chainStepLabel } from './restoration-chain';
import { useOrderChanged } from './use-order-changed';

function Picture({ url, alt, label }: { url: string | null; alt: string; label: string }) {
  return (
    <div className="picture">
      <span className="picture-label">{label}</span>
      {url ? (
        <a
          href={url}
          target="_blank"
          rel="noreferrer"
          title={`Open the ${label.toLowerCase()} full size`}
        >
          <img src={url} alt={alt} loading="lazy" />
        </a>
      ) : (
        <span className="picture-missing">
          {label === 'Restored' ? 'Not restored yet' : 'No file'}
        </span>
      )}
    </div>
  );
}

function Attempts({ image }: { image: OrderImage }) {
  if (image.attempts.length === 0)
    return <p className="muted small">No restoration attempt yet.</p>;
  return (
    <>
      {image.attempts.length > 1 && (
        <p className="attempt-path small">
          <span className="muted">Models tried: </span>
          {attemptPath(image.attempts)}
        </p>
      )}
      <table className="data-table compact">
        <caption className="visually-hidden">Restoration attempts of {image.filename}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Model · place in the chain</th>
            <th scope="col">Status</th>
            <th scope="col" className="numeric">
              Duration
            </th>
            <th scope="col" className="numeric">
              Cost
            </th>
          </tr>
        </thead>
        <tbody>
          {image.attempts.map((attempt) => (
            <tr key={attempt.id}>
              <td>{attempt.attempt}</td>
              <td>
                <span className="stack">
                  <span className="mono small">{attempt.model ?? '—'}</span>
                  <span className="muted small">
                    {chainStepLabel(attempt)} · {attempt.provider}
                  </span>
                </span>
              </td>
              <td>
                <span className="stack">
                  <span>
                    <Badge tone={ATTEMPT_STATUS_TONES[attempt.status]}>
                      {ATTEMPT_STATUS_LABELS[attempt.status]}
                    </Badge>
                  </span>
                  {attempt.error && <span className="text-danger small">{attempt.error}</span>}
                </span>
              </td>
              <td className="numeric">
                {attempt.durationMs === null ? '—' : formatDuration(attempt.durationMs)}
              </td>
              <td className="numeric">
                {attempt.costCents === null ? '—' : formatCents(attempt.costCents)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function ImageCard({
  order,
  image,
  number,
}: {
  order: OrderDetail;
  image: OrderImage;
  number: number;
}) {
  const trpc = useTRPC();
  const orderChanged = useOrderChanged();
  const retry = useMutation(
    trpc.orders.retryRestoration.mutationOptions({ onSuccess: orderChanged }),
  );

  return (
    <li className="image-card">
      <div className="image-card-head">
        <h3 className="image-name">
          <span className="muted">{number}.</span> {image.filename}
        </h3>
        <Badge tone={IMAGE_STATUS_TONES[image.status]}>{IMAGE_STATUS_LABELS[image.status]}</Badge>
        <span className="muted small">
          {image.width} × {image.height}
        </span>
        {image.status === 'failed' && (
          <ActionButton
            className="button-secondary button-small push-right"
            onClick={() => retry.mutate({ id: order.id, imageId: image.id })}
            disabled={retry.isPending}
          >
            {retry.isPending ? 'Retrying…' : `Retry ${image.filename}`}
          </ActionButton>
        )}
      </div>
      <MutationMessage
        mutation={retry}
        success={() => `${image.filename} is queued for another try.`}
      />
      {image.error && (
        <p className="message message-danger">
          <span className="visually-hidden">Error: </span>
          {image.error}
        </p>
      )}
      <div className="pictures">
        <Picture url={image.originalUrl} alt={`${image.filename}, original`} label="Original" />
        <Picture url={image.restoredUrl} alt={`${image.filename}, restored`} label="Restored" />
      </div>
      <Attempts image={image} />
    </li>
  );
}

export function OrderImages({ order }: { order: OrderDetail }) {
  const trpc = useTRPC();
  const orderChanged = useOrderChanged();
  const retryAll = useMutation(
    trpc.orders.retryRestoration.mutationOptions({ onSuccess: orderChanged }),
  );
  const failed = order.images.filter((image) => image.status === 'failed').length;

  return (
    <section className="panel" aria-labelledby="photos-heading">
      <div className="panel-heading">
        <h2 id="photos-heading">Photos ({order.images.length})</h2>
        {order.actions.canRetryFailed && failed > 0 && (
          <ActionButton
            className="button-secondary button-small"
            onClick={() => retryAll.mutate({ id: order.id })}
            disabled={retryAll.isPending}
          >
            Retry all failed photos ({failed})
          </ActionButton>
        )}
      </div>
      <MutationMessage
        mutation={retryAll}
        success={(result) =>
          `${result.retried} ${result.retried === 1 ? 'photo is' : 'photos are'} queued for another try.`
        }
      />
      {order.images.length === 0 ? (
        <Empty>This order has no photos.</Empty>
      ) : (
        <ul className="image-list">
          {order.images.map((image, index) => (
            <ImageCard key={image.id} order={order} image={image} number={index + 1} />
          ))}
        </ul>
      )}
    </section>
  );
}
