/** What a page shows while it waits, when the server refused, and when there is nothing to show. */
import { errorMessage } from '../error-message';

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="loading">
      <span className="spinner" aria-hidden="true" />
      Loading {what}…
    </p>
  );
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div role="alert" className="notice notice-danger">
      <p>{errorMessage(error)}</p>
      {onRetry && (
        <button type="button" className="button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <p className="empty">{children}</p>;
}
