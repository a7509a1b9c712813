/** Sends the restored photos to someone by email, with an optional message; shows the API's refusals as they are. */
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import type { ShareOrderInput } from '@restoreclick/sdk';
import { client } from '../client';
import { errorMessage, fieldError } from '../error-message';
import { formatDateTime } from '../format';

export function ShareForm({
  token,
  canShare,
  photosDeleted = false,
}: {
  token: string;
  canShare: boolean;
  photosDeleted?: boolean;
}) {
  const [to, setTo] = useState('');
  const [message, setMessage] = useState('');
  const ids = {
    to: useId(),
    message: useId(),
    toError: useId(),
    messageError: useId(),
    hint: useId(),
  };
  const share = useMutation({
    mutationFn: (input: ShareOrderInput) => client.orders.share.mutate(input),
    onSuccess: () => {
      setTo('');
      setMessage('');
    },
  });
  const toError = fieldError(share.error, 'to');
  const messageError = fieldError(share.error, 'message');
  const formError = share.error && !toError && !messageError ? errorMessage(share.error) : null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    share.mutate({ token, to, message: message.trim() === '' ? null : message });
  };

  return (
    <section className="card" aria-labelledby="share-heading">
      <h2 id="share-heading">Share with family</h2>
      <p id={ids.hint} className="muted">
        {canShare
          ? 'We email them a link to download the restored photos.'
          : photosDeleted
            ? 'Your photos have been deleted, so there is nothing left to share.'
            : 'You can share once your photos are restored.'}
      </p>
      <form className="stack" onSubmit={onSubmit} aria-label="Share the restored photos">
        <div className="field">
          <label htmlFor={ids.to}>Their email</label>
          <input
            id={ids.to}
            type="email"
            autoComplete="off"
            required
            value={to}
            disabled={!canShare}
            onChange={(event) => setTo(event.target.value)}
            aria-invalid={toError ? true : undefined}
            aria-describedby={toError ? ids.toError : ids.hint}
          />
          {toError && (
            <p id={ids.toError} className="field-error">
              {toError}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={ids.message}>Message (optional)</label>
          <textarea
            id={ids.message}
            rows={3}
            value={message}
            disabled={!canShare}
            onChange={(event) => setMessage(event.target.value)}
            aria-invalid={messageError ? true : undefined}
            aria-describedby={messageError ? ids.messageError : undefined}
          />
          {messageError && (
            <p id={ids.messageError} className="field-error">
              {messageError}
            </p>
          )}
        </div>
        {formError && (
          <p role="alert" className="form-error">
            {formError}
          </p>
        )}
        {share.isSuccess && (
          <p role="status" className="ok">
            Sent to {share.variables.to}. Their link works until{' '}
            {formatDateTime(share.data.linkExpiresAt)}.
          </p>
        )}
        <button
          type="submit"
          className="button button-primary"
          disabled={!canShare || share.isPending}
        >
          {share.isPending ? 'Sending…' : 'Send the photos'}
        </button>
      </form>
    </section>
  );
}
