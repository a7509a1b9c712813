/**
 * The two questions before an admin changes an automatic refund: why stop it (a reason is required: it goes on
 * the order's timeline and the audit log), and whether to send the money back now rather than at the end of the
 * grace period.
 */
import { useId, useState } from 'react';
import type { AutomaticRefund } from '../api-types';
import { formatDateTime, formatMoney, formatRelativeTime } from '../format';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { knownAmount } from './automatic-refund-words';

const REASON_MAX_LENGTH = 1000;

interface DialogProps {
  refund: AutomaticRefund;
  busy: boolean;
  /** The server's refusal of the last try, shown inside the dialog. */
  error: React.ReactNode;
  onClose: () => void;
}

export function StopRefundDialog({
  refund,
  busy,
  error,
  onClose,
  onStop,
}: DialogProps & { onStop: (reason: string) => void }) {
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const problemId = useId();
  return (
    <ConfirmDialog
      open
      title={`Stop the automatic refund of ${refund.filename}?`}
      confirmLabel="Stop refund"
      busy={busy}
      onConfirm={() => {
        const trimmed = reason.trim();
        if (!trimmed) {
          setInvalid('Say why the refund is stopped: the reason goes on the order’s timeline.');
          return;
        }
        setInvalid(null);
        onStop(trimmed);
      }}
      onClose={onClose}
    >
      <p>
        {formatMoney(refund.amount, refund.currency)} will not go back to the customer on{' '}
        {formatDateTime(refund.dueAt)}. You can still refund the photo later with “Refund now”.
      </p>
      <label className="field">
        <span>Reason (required)</span>
        <textarea
          rows={2}
          aria-required="true"
          aria-invalid={invalid !== null}
          aria-describedby={invalid ? problemId : undefined}
          maxLength={REASON_MAX_LENGTH}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      </label>
      {invalid && (
        <p id={problemId} role="alert" className="message message-danger">
          {invalid}
        </p>
      )}
      {error}
    </ConfirmDialog>
  );
}

export function RefundNowDialog({
  refund,
  busy,
  error,
  onClose,
  onRefund,
}: DialogProps & { onRefund: (reason: string) => void }) {
  const [reason, setReason] = useState('');
  const amount = knownAmount(refund);
  const money = amount === null ? null : formatMoney(amount, refund.currency);
  return (
    <ConfirmDialog
      open
      title={`Refund ${refund.filename} now?`}
      confirmLabel={money ? `Refund ${money} now` : 'Refund now'}
      danger
      busy={busy}
      onConfirm={() => onRefund(reason.trim())}
      onClose={onClose}
    >
      <p>
        {money ?? 'The photo’s share of the payment'} goes back to the customer through Stripe now
        {refund.status === 'pending'
          ? `, instead of ${formatRelativeTime(refund.dueAt)} (${formatDateTime(refund.dueAt)})`
          : ', although this refund was stopped'}
        . The customer gets an email saying which photo was refunded and why.
      </p>
      <label className="field">
        <span>Reason (optional)</span>
        <textarea
          rows={2}
          maxLength={REASON_MAX_LENGTH}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      </label>
      {error}
    </ConfirmDialog>
  );
}
