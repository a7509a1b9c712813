/**
 * One email as the customer got it: subject, recipient, delivery state, attachments, the HTML in a sandboxed
 * frame (no scripts, no access to this page) and the text version; it can be sent again.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { errorCode } from '../error-message';
import { formatBytes, formatDateTime } from '../format';
import { EMAIL_STATUS_LABELS, EMAIL_STATUS_TONES, emailKindLabel } from '../status-labels';
import { useTRPC } from '../trpc';
import { ActionButton } from '../ui/action-button';
import { Badge } from '../ui/badge';
import { MutationMessage } from '../ui/mutation-message';
import { Empty, ErrorNotice, Loading } from '../ui/query-states';

const REFRESH_MS = 3_000;

export function EmailDetailPage() {
  const { emailId = '' } = useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const email = useQuery({
    ...trpc.emails.get.queryOptions({ id: emailId }),
    // Queued and sending messages change by themselves.
    refetchInterval: (query) =>
      query.state.data?.status === 'queued' || query.state.data?.status === 'sending'
        ? REFRESH_MS
        : false,
  });
  const resend = useMutation(
    trpc.emails.resend.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.emails.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.orders.pathKey() }),
        ]),
    }),
  );
  const back = (
    <Link to="/emails" className="back-link">
      ← Back to emails
    </Link>
  );

  if (email.isPending) {
    return (
      <>
        {back}
        <Loading what="the email" />
      </>
    );
  }
  const message = email.data;
  if (!message) {
    const notFound =
      errorCode(email.error) === 'NOT_FOUND' || errorCode(email.error) === 'BAD_REQUEST';
    return (
      <>
        {back}
        {notFound && <h1>Email not found</h1>}
        <ErrorNotice
          error={email.error}
          onRetry={notFound ? undefined : () => void email.refetch()}
        />
      </>
    );
  }

  const subject = message.subject ?? emailKindLabel(message.kind);
  return (
    <>
      <title>{`${subject} · RestoreClick Admin`}</title>
      {back}
      <div className="page-heading">
        <h1>{subject}</h1>
        <Badge tone={EMAIL_STATUS_TONES[message.status]}>
          {EMAIL_STATUS_LABELS[message.status]}
        </Badge>
        <div className="push-right action">
          <ActionButton
            className="button-secondary"
            onClick={() => resend.mutate({ id: message.id })}
            disabled={resend.isPending}
          >
            {resend.isPending ? 'Resending…' : 'Resend this email'}
          </ActionButton>
        </div>
      </div>
      <MutationMessage mutation={resend} success={() => 'Queued again as a new message.'} />
      {resend.isSuccess && (
        <p className="small">
          <Link to={`/emails/${resend.data.emailMessageId}`}>Open the new message</Link>
        </p>
      )}
      {email.isError && <ErrorNotice error={email.error} />}
      <div className="email-layout">
        <section className="panel" aria-labelledby="email-facts-heading">
          <h2 id="email-facts-heading">Delivery</h2>
          <dl className="facts">
            <dt>To</dt>
            <dd>{message.to}</dd>
            <dt>Kind</dt>
            <dd>{emailKindLabel(message.kind)}</dd>
            <dt>Order</dt>
            <dd>
              {message.orderId && message.orderNumber ? (
                <Link to={`/orders/${message.orderId}`} className="mono">
                  {message.orderNumber}
                </Link>
              ) : (
                '—'
              )}
            </dd>
            <dt>Delivered through</dt>
            <dd>{message.provider ?? '—'}</dd>
            <dt>Attempts</dt>
            <dd>{message.attempts}</dd>
            <dt>Created</dt>
            <dd>{formatDateTime(message.createdAt)}</dd>
            <dt>Sent</dt>
            <dd>{message.sentAt ? formatDateTime(message.sentAt) : 'Not yet'}</dd>
            {message.lastError && (
              <>
                <dt>Last error</dt>
                <dd className="text-danger">{message.lastError}</dd>
              </>
            )}
          </dl>
          <h3>Attachments</h3>
          {message.attachments.length === 0 ? (
            <Empty>No attachments.</Empty>
          ) : (
            <ul className="attachments" aria-label="Attachments">
              {message.attachments.map((attachment) => (
                <li key={attachment.filename}>
                  <span>{attachment.filename}</span>{' '}
                  <span className="muted small">
                    {attachment.contentType} · {formatBytes(attachment.bytes)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="panel" aria-labelledby="email-html-heading">
          <h2 id="email-html-heading">As the customer sees it</h2>
          {message.html === null ? (
            <Empty>This email has no HTML version.</Empty>
          ) : (
            <iframe
              className="email-frame"
              sandbox=""
              srcDoc={message.html}
              title={`HTML of “${subject}”`}
            />
          )}
          <h3>Text version</h3>
          {message.text === null ? (
            <Empty>No text version.</Empty>
          ) : (
            <pre className="email-text">{message.text}</pre>
          )}
        </section>
      </div>
    </>
  );
}
