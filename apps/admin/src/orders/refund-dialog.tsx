/**
 * Refund all that is refundable, or part of it: the amount is typed in major units ("12.50") and sent in minor
 * units. The money moves through Stripe; the order becomes (partially) refunded when Stripe confirms.
 */
import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { OrderDetail } from '../api-types';
import { formatMoney, parseMajorAmount, toMajorAmount } from '../format';
import { useTRPC } from '../trpc';
import { ActionButton } from '../ui/action-button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { MutationMessage } from '../ui/mutation-message';
import { useOrderChanged } from './use-order-changed';

export function RefundAction({ order }: { order: OrderDetail }) {
  const trpc = useTRPC();
  const orderChanged = useOrderChanged();
  const { currency } = order.payment;
  const refundable = order.actions.refundableAmount;
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<'full' | 'partial'>('full');
  const [amountText, setAmountText] = useState('');
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const amountHint = useId();
  const refund = useMutation(
    trpc.orders.refund.mutationOptions({
      onSuccess: () => {
        setOpen(false);
        return orderChanged();
      },
    }),
  );

  function submit() {
    let amount = refundable;
    if (kind === 'partial') {
      const parsed = parseMajorAmount(amountText, currency);
      if (parsed === null || parsed <= 0) {
        setInvalid(`Type an amount such as ${toMajorAmount(Math.min(500, refundable), currency)}.`);
        return;
      }
      if (parsed > refundable) {
        setInvalid(`At most ${formatMoney(refundable, currency)} can be refunded.`);
        return;
      }
      amount = parsed;
    }
    setInvalid(null);
    refund.mutate({
      id: order.id,
      ...(kind === 'partial' ? { amount } : {}),
      ...(reason.trim() ? { reason: reason.trim() } : {}),
    });
  }

  const partialAmount = parseMajorAmount(amountText, currency);
  const confirmAmount = kind === 'full' ? refundable : (partialAmount ?? 0);

  return (
    <div className="action">
      <ActionButton
        onClick={() => {
          refund.reset();
          setOpen(true);
        }}
        disabled={!order.actions.canRefund || refundable <= 0}
        title={order.actions.canRefund ? undefined : 'Nothing can be refunded on this order'}
      >
        Refund…
      </ActionButton>
      {refund.isSuccess && (
        <MutationMessage
          mutation={refund}
          success={(result) =>
            `Refund of ${formatMoney(result.amount, currency)} sent to Stripe (${result.status}). ` +
            'The order changes when Stripe confirms it.'
          }
        />
      )}
      <ConfirmDialog
        open={open}
        title={`Refund order ${order.orderNumber}`}
        confirmLabel={`Refund ${formatMoney(confirmAmount, currency)}`}
        danger
        busy={refund.isPending}
        onConfirm={submit}
        onClose={() => setOpen(false)}
      >
        <fieldset className="radio-group">
          <legend>How much</legend>
          <label>
            <input
              type="radio"
              name="refund-kind"
              checked={kind === 'full'}
              onChange={() => setKind('full')}
            />
            Everything refundable ({formatMoney(refundable, currency)})
          </label>
          <label>
            <input
              type="radio"
              name="refund-kind"
              checked={kind === 'partial'}
              onChange={() => setKind('partial')}
            />
            Part of it
          </label>
        </fieldset>
        {kind === 'partial' && (
          <label className="field">
            <span>Amount to refund ({currency.toUpperCase()})</span>
            <input
              type="text"
              inputMode="decimal"
              autoComplete="off"
              value={amountText}
              aria-describedby={amountHint}
              aria-invalid={invalid !== null}
              onChange={(event) => setAmountText(event.target.value)}
            />
            <span id={amountHint} className="muted small">
              At most {formatMoney(refundable, currency)}.
            </span>
          </label>
        )}
        <label className="field">
          <span>Reason (optional)</span>
          <textarea rows={2} value={reason} onChange={(event) => setReason(event.target.value)} />
        </label>
        {invalid && (
          <p role="alert" className="message message-danger">
            {invalid}
          </p>
        )}
        {refund.isError && <MutationMessage mutation={refund} success={() => ''} />}
      </ConfirmDialog>
    </div>
  );
}
