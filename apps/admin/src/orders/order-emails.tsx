/** The order's emails with their delivery state; each can be sent again (a new message, same content). */
import { useMutation } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { OrderDetail, OrderEmail } from '../api-types';
import { formatDateTime } from '../format';
import { EMAIL_STATUS_LABELS, EMAIL_STATUS_TONES, emailKindLabel } from '../status-labels';
import { useTRPC } from '../trpc';
import { ActionButton } from '../ui/action-button';
import { Badge } from '../ui/badge';
import { MutationMessage } from '../ui/mutation-message';
import { Empty } from '../ui/query-states';
import { useOrderChanged } from './use-order-changed';

function EmailRow({ order, email }: { order: OrderDetail; email: OrderEmail }) {
  const trpc = useTRPC();
  const orderChanged = useOrderChanged();
  const resend = useMutation(trpc.orders.resendEmail.mutationOptions({ onSuccess: orderChanged }));
  const label = emailKindLabel(email.kind);
  return (
    <li className="email-item">
      <div className="email-item-head">
        <Link to={`/emails/${email.id}`}>{label}</Link>
        <Badge tone={EMAIL_STATUS_TONES[email.status]}>{EMAIL_STATUS_LABELS[email.status]}</Badge>
      </div>
      <p className="muted small">
        to {email.to} ·{' '}
        {email.sentAt
          ? `sent ${formatDateTime(email.sentAt)}`
          : `created ${formatDateTime(email.createdAt)}`}
        {email.attempts > 1 && ` · ${email.attempts} attempts`}
      </p>
      {email.lastError && <p className="text-danger small">{email.lastError}</p>}
      <ActionButton
        className="button-secondary button-small"
        onClick={() => resend.mutate({ id: order.id, emailMessageId: email.id })}
        disabled={resend.isPending}
        aria-label={`Resend ${label} to ${email.to}`}
      >
        {resend.isPending ? 'Resending…' : 'Resend'}
      </ActionButton>
      <MutationMessage mutation={resend} success={() => `${label} queued again for ${email.to}.`} />
    </li>
  );
}

export function OrderEmails({ order }: { order: OrderDetail }) {
  return (
    <section className="panel" aria-labelledby="emails-heading">
      <h2 id="emails-heading">Emails ({order.emails.length})</h2>
      {order.emails.length === 0 ? (
        <Empty>No email was sent for this order.</Empty>
      ) : (
        <ul className="email-list">
          {order.emails.map((email) => (
            <EmailRow key={email.id} order={order} email={email} />
          ))}
        </ul>
      )}
    </section>
  );
}
