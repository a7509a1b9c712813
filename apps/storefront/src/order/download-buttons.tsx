/** ZIP downloads of the order's photos: all, originals or restored. Each asks the API for a link and opens it. */
import { useMutation } from '@tanstack/react-query';
import type { CreateDownloadInput, CustomerOrder } from '@restoreclick/sdk';
import { client } from '../client';
import { errorMessage } from '../error-message';

type DownloadKind = CreateDownloadInput['kind'];

const CHOICES: ReadonlyArray<{ kind: DownloadKind; label: string }> = [
  { kind: 'restored', label: 'Download restored photos' },
  { kind: 'all', label: 'Download all (restored and originals)' },
  { kind: 'originals', label: 'Download originals' },
];

export function DownloadButtons({ token, order }: { token: string; order: CustomerOrder }) {
  const download = useMutation({
    mutationFn: (kind: DownloadKind) => client.downloads.create.mutate({ token, kind }),
    // The ZIP is sent as an attachment, so the browser saves it and this page stays open.
    onSuccess: (link) => window.location.assign(link.url),
  });
  const available = (kind: DownloadKind) =>
    order.canDownload && (kind !== 'restored' || order.stats.done > 0);

  return (
    <section className="card" aria-labelledby="download-heading">
      <h2 id="download-heading">Download</h2>
      {!order.canDownload && (
        <p className="muted">
          {order.privacy.deletedAt
            ? 'Your photos have been deleted, so there is nothing left to download.'
            : 'Downloads open once your order is paid.'}
        </p>
      )}
      <div className="button-row">
        {CHOICES.map((choice) => (
          <button
            key={choice.kind}
            type="button"
            className={choice.kind === 'restored' ? 'button button-primary' : 'button'}
            disabled={!available(choice.kind) || download.isPending}
            onClick={() => download.mutate(choice.kind)}
          >
            {choice.label}
          </button>
        ))}
      </div>
      {download.isPending && <p role="status">Preparing your download…</p>}
      {download.isSuccess && (
        <p role="status" className="muted">
          Your download {download.data.fileName} has started.
        </p>
      )}
      {download.isError && (
        <p role="alert" className="form-error">
          {errorMessage(download.error)}
        </p>
      )}
    </section>
  );
}
