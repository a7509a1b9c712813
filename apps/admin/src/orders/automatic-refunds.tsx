/**
 * The order's automatic refunds: a photo no model could restore is refunded by itself once a grace period ends.
 * Per photo: the amount, its state, when it is due (or was issued or stopped), Stripe's refund id; during the
 * grace period an admin may stop it (with a reason) or refund it now. Shown only when the order has any.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AutomaticRefund, OrderDetail } from '../api-types';
import { formatDateTime, formatMoney, formatRelativeTime } from '../format';
import {
  AUTOMATIC_REFUND_STATUS_LABELS,
  AUTOMATIC_REFUND_STATUS_TONES,
  IMAGE_STATUS_LABELS,
} from '../status-labels';
import { useTRPC } from '../trpc';
import { ActionButton } from '../ui/action-button';
import { Badge } from '../ui/badge';
import { MutationMessage } from '../ui/mutation-message';
import { ErrorNotice } from '../ui/query-states';
import { RefundNowDialog, StopRefundDialog } from './automatic-refund-dialogs';
import {
  decidedByWords,
  describeRefundNow,
  describeStopped,
  knownAmount,
} from './automatic-refund-words';
import { useOrderChanged } from './use-order-changed';

const REFRESH_MS = 3_000;

type OpenDialog = { kind: 'stop' | 'refund-now'; refund: AutomaticRefund } | null;

/** Refunds about to change by themselves: on their way to Stripe, or due and waiting for the worker. */
function changesSoon(refunds: readonly AutomaticRefund[]): boolean {
  const now = Date.now();
  return refunds.some(
    (refund) =>
      refund.status === 'issuing' ||
      (refund.status === 'pending' && new Date(refund.dueAt).getTime() <= now),
  );
}

function When({ label, iso }: { label: string; iso: string }) {
  return (
    <span className="stack">
      <span>
        {label} {formatRelativeTime(iso)}
      </span>
      <time dateTime={iso} className="muted small">
        {formatDateTime(iso)}
      </time>
    </span>
  );
}

function WhenCell({ refund }: { refund: AutomaticRefund }) {
  if (refund.status === 'issued' && refund.issuedAt)
    return <When label="issued" iso={refund.issuedAt} />;
  if (refund.status === 'cancelled' && refund.cancelledAt)
    return <When label="stopped" iso={refund.cancelledAt} />;
  return <When label="due" iso={refund.dueAt} />;
}

function StatusCell({ refund }: { refund: AutomaticRefund }) {
  const who = decidedByWords(refund.decidedBy);
  return (
    <span className="stack">
      <span>
        <Badge tone={AUTOMATIC_REFUND_STATUS_TONES[refund.status]}>
          {AUTOMATIC_REFUND_STATUS_LABELS[refund.status]}
        </Badge>
      </span>
      {refund.status === 'cancelled' && (
        <span className="small">
          by {who ?? 'someone'}
          {refund.cancelReason && <>: “{refund.cancelReason}”</>}
        </span>
      )}
      {refund.status !== 'cancelled' && who === 'an admin' && (
        <span className="muted small">hurried by an admin</span>
      )}
      {refund.error && <span className="text-danger small">{refund.error}</span>}
    </span>
  );
}

export function AutomaticRefunds({
  order,
  refreshing,
}: {
  order: OrderDetail;
  /** Whether the order page is following the order right now (it is moving, or an action was just taken). */
  refreshing: () => boolean;
}) {
  const trpc = useTRPC();
  const orderChanged = useOrderChanged();
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const refunds = useQuery({
    ...trpc.recovery.automaticRefunds.queryOptions({ id: order.id }),
    refetchInterval: (query) =>
      refreshing() || changesSoon(query.state.data?.refunds ?? []) ? REFRESH_MS : false,
  });
  // Whatever the answer, the refunds may have changed (a refusal says "reload to see what happened").
  const stop = useMutation(
    trpc.recovery.cancelAutomaticRefund.mutationOptions({
      onSuccess: () => setDialog(null),
      onSettled: () => orderChanged(),
    }),
  );
  const refundNow = useMutation(
    trpc.recovery.refundNow.mutationOptions({
      onSuccess: () => setDialog(null),
      onSettled: () => orderChanged(),
    }),
  );

  const list = refunds.data?.refunds ?? [];
  if (refunds.isPending || (refunds.isSuccess && list.length === 0)) return null;
  const currency = order.payment.currency;
  const reasons = [...new Set(list.map((refund) => refund.reason))];

  function open(kind: 'stop' | 'refund-now', refund: AutomaticRefund) {
    stop.reset();
    refundNow.reset();
    setDialog({ kind, refund });
  }

  return (
    <section className="panel" aria-labelledby="automatic-refunds-heading">
      <h2 id="automatic-refunds-heading">Automatic refunds ({list.length})</h2>
      {refunds.isError && (
        <ErrorNotice error={refunds.error} onRetry={() => void refunds.refetch()} />
      )}
      {list.length > 0 && (
        <>
          <p className="muted small">
            A photo no model could restore is refunded by itself when its grace period ends, unless
            an admin stops it.
            {reasons.length === 1 && <> The customer is told: “{reasons[0]}”</>}
          </p>
          <div className="table-scroll">
            <table className="data-table compact">
              <caption className="visually-hidden">Automatic refunds of the order’s photos</caption>
              <thead>
                <tr>
                  <th scope="col">Photo</th>
                  <th scope="col" className="numeric">
                    Amount
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">When</th>
                  <th scope="col">Stripe refund</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((refund) => {
                  const amount = knownAmount(refund);
                  const photo = order.images.find((image) => image.id === refund.imageId);
                  const photoFailed = photo?.status === 'failed';
                  return (
                    <tr key={refund.id}>
                      <th scope="row">
                        {refund.filename}
                        {reasons.length > 1 && (
                          <span className="muted small stack">{refund.reason}</span>
                        )}
                      </th>
                      <td className="numeric">
                        {amount === null ? (
                          '—'
                        ) : (
                          <span className="stack">
                            <span>{formatMoney(amount, refund.currency)}</span>
                            {!refund.amountFixed && (
                              <span className="muted small">if issued now</span>
                            )}
                          </span>
                        )}
                      </td>
                      <td>
                        <StatusCell refund={refund} />
                      </td>
                      <td>
                        <WhenCell refund={refund} />
                      </td>
                      <td className="mono small break">{refund.providerRefundId ?? '—'}</td>
                      <td>
                        <span className="row-actions">
                          {refund.status === 'pending' && (
                            <ActionButton
                              className="button-secondary button-small"
                              aria-label={`Stop refund of ${refund.filename}`}
                              onClick={() => open('stop', refund)}
                            >
                              Stop refund
                            </ActionButton>
                          )}
                          {(refund.status === 'pending' || refund.status === 'cancelled') &&
                            photoFailed && (
                              <ActionButton
                                className="button-secondary button-small"
                                aria-label={`Refund ${refund.filename} now`}
                                onClick={() => open('refund-now', refund)}
                              >
                                Refund now
                              </ActionButton>
                            )}
                          {refund.status === 'pending' && photo && !photoFailed && (
                            <span className="muted small">
                              The photo is {IMAGE_STATUS_LABELS[photo.status].toLowerCase()} again:
                              it is not refunded when due.
                            </span>
                          )}
                        </span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      {stop.isSuccess && (
        <MutationMessage
          mutation={stop}
          success={(result) => describeStopped(result.refunds, stop.variables.imageId)}
        />
      )}
      {refundNow.isSuccess && (
        <MutationMessage
          mutation={refundNow}
          success={(result) => describeRefundNow(result, currency, refundNow.variables.imageId)}
        />
      )}
      {dialog?.kind === 'stop' && (
        <StopRefundDialog
          key={dialog.refund.id}
          refund={dialog.refund}
          busy={stop.isPending}
          error={stop.isError && <MutationMessage mutation={stop} success={() => ''} />}
          onClose={() => setDialog(null)}
          onStop={(reason) => stop.mutate({ id: order.id, imageId: dialog.refund.imageId, reason })}
        />
      )}
      {dialog?.kind === 'refund-now' && (
        <RefundNowDialog
          key={dialog.refund.id}
          refund={dialog.refund}
          busy={refundNow.isPending}
          error={refundNow.isError && <MutationMessage mutation={refundNow} success={() => ''} />}
          onClose={() => setDialog(null)}
          onRefund={(reason) =>
            refundNow.mutate({
              id: order.id,
              imageId: dialog.refund.imageId,
              ...(reason ? { reason } : {}),
            })
          }
        />
      )}
    </section>
  );
}
