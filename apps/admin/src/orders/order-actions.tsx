/** What an admin can do to the order; each action says what happened, or the server's reason it did not. */
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { OrderDetail, OrderStatus } from '../api-types';
import { useCanAct, VIEWER_CANNOT_ACT } from '../auth/session';
import { ORDER_STATUS_LABELS } from '../status-labels';
import { useTRPC } from '../trpc';
import { ActionButton } from '../ui/action-button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { MutationMessage } from '../ui/mutation-message';
import { RefundAction } from './refund-dialog';
import { useOrderChanged } from './use-order-changed';

const NOTE_MAX_LENGTH = 1000;

function ChangeStatusForm({ order }: { order: OrderDetail }) {
  const trpc = useTRPC();
  const canAct = useCanAct();
  const orderChanged = useOrderChanged();
  const [to, setTo] = useState<OrderStatus | ''>('');
  const [note, setNote] = useState('');
  const change = useMutation(
    trpc.orders.changeStatus.mutationOptions({
      onSuccess: () => {
        setTo('');
        setNote('');
        return orderChanged();
      },
    }),
  );
  const choices = order.allowedTransitions;
  // A status that is no longer allowed (the order moved meanwhile) is not offered any more.
  const selected = to && choices.includes(to) ? to : '';

  return (
    <form
      className="action"
      onSubmit={(event) => {
        event.preventDefault();
        if (!selected) return;
        change.mutate({ id: order.id, to: selected, note: note.trim() });
      }}
    >
      <fieldset
        disabled={!canAct || choices.length === 0}
        title={canAct ? undefined : VIEWER_CANNOT_ACT}
      >
        <legend>Change status</legend>
        {choices.length === 0 ? (
          <p className="muted small">
            No status can be set by hand from here; refunds and cancellations have their own
            buttons.
          </p>
        ) : (
          <>
            <label className="field">
              <span>New status</span>
              <select
                required
                value={selected}
                onChange={(event) => setTo(event.target.value as OrderStatus)}
              >
                <option value="" disabled>
                  Choose…
                </option>
                {choices.map((status) => (
                  <option key={status} value={status}>
                    {ORDER_STATUS_LABELS[status]}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Note (why)</span>
              <textarea
                rows={2}
                required
                maxLength={NOTE_MAX_LENGTH}
                value={note}
                onChange={(event) => setNote(event.target.value)}
              />
            </label>
            <button
              type="submit"
              className="button-secondary"
              disabled={change.isPending || !selected || !note.trim()}
            >
              {change.isPending ? 'Changing…' : 'Change status'}
            </button>
          </>
        )}
      </fieldset>
      <MutationMessage
        mutation={change}
        success={(result) =>
          `The order is now ${ORDER_STATUS_LABELS[result.status].toLowerCase()}.`
        }
      />
    </form>
  );
}

function CancelAction({ order }: { order: OrderDetail }) {
  const trpc = useTRPC();
  const orderChanged = useOrderChanged();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const cancel = useMutation(
    trpc.orders.cancel.mutationOptions({
      onSuccess: () => {
        setOpen(false);
        return orderChanged();
      },
    }),
  );
  return (
    <div className="action">
      <ActionButton className="button-danger-outline" onClick={() => setOpen(true)}>
        Cancel order…
      </ActionButton>
      {cancel.isSuccess && (
        <MutationMessage mutation={cancel} success={() => 'The order is cancelled.'} />
      )}
      <ConfirmDialog
        open={open}
        title={`Cancel order ${order.orderNumber}?`}
        confirmLabel="Cancel order"
        danger
        busy={cancel.isPending}
        onConfirm={() =>
          cancel.mutate({ id: order.id, ...(note.trim() ? { note: note.trim() } : {}) })
        }
        onClose={() => setOpen(false)}
      >
        <p>The customer has not paid. Their checkout link stops working.</p>
        <label className="field">
          <span>Note (optional)</span>
          <textarea
            rows={2}
            maxLength={NOTE_MAX_LENGTH}
            value={note}
            onChange={(event) => setNote(event.target.value)}
          />
        </label>
        {cancel.isError && <MutationMessage mutation={cancel} success={() => ''} />}
      </ConfirmDialog>
    </div>
  );
}

/** What re-running fulfilment found, in words (the API answers with a code). */
function describeFulfilment(result: string): string {
  switch (result) {
    case 'fulfilled':
      return 'Stripe has the payment: the order is paid and its photos are queued.';
    case 'already_fulfilled':
      return 'The order was already fulfilled; nothing changed.';
    case 'not_paid':
      return 'Stripe has no payment for this order yet; nothing changed.';
    case 'order_closed':
      return 'The order is closed (cancelled or expired); nothing changed.';
    default:
      return `Fulfilment answered: ${result}.`;
  }
}

function RerunFulfilmentAction({ order }: { order: OrderDetail }) {
  const trpc = useTRPC();
  const orderChanged = useOrderChanged();
  const rerun = useMutation(
    trpc.orders.rerunFulfilment.mutationOptions({ onSuccess: orderChanged }),
  );
  return (
    <div className="action">
      <ActionButton onClick={() => rerun.mutate({ id: order.id })} disabled={rerun.isPending}>
        {rerun.isPending ? 'Re-running…' : 'Re-run fulfilment'}
      </ActionButton>
      <MutationMessage mutation={rerun} success={(result) => describeFulfilment(result.result)} />
    </div>
  );
}

export function OrderActions({ order }: { order: OrderDetail }) {
  const canAct = useCanAct();
  return (
    <section className="panel" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Actions</h2>
      {!canAct && (
        <p className="notice notice-info small">
          {VIEWER_CANNOT_ACT}: you are signed in as a viewer.
        </p>
      )}
      <div className="actions">
        <RefundAction order={order} />
        {order.actions.canRerunFulfilment && <RerunFulfilmentAction order={order} />}
        {order.actions.canCancel && <CancelAction order={order} />}
      </div>
      <ChangeStatusForm order={order} />
    </section>
  );
}
