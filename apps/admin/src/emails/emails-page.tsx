/**
 * Every email the system wrote, newest first, filtered by status, kind, delivery (the local outbox or SendGrid)
 * and address or order number. Filters live in the address.
 */
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { EmailListInput, EmailStatus } from '../api-types';
import { formatDateTime } from '../format';
import {
  EMAIL_KIND_LABELS,
  EMAIL_STATUS_LABELS,
  EMAIL_STATUS_TONES,
  EMAIL_STATUSES,
  emailKindLabel,
} from '../status-labels';
import { useTRPC } from '../trpc';
import { Badge } from '../ui/badge';
import { Empty, ErrorNotice, Loading } from '../ui/query-states';
import { SearchBox } from '../ui/search-box';

const PAGE_SIZE = 25;
const PROVIDERS: Record<string, string> = { outbox: 'Outbox (not sent out)', sendgrid: 'SendGrid' };

export function EmailsPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const statuses = useMemo(() => {
    const wanted = new Set(searchParams.getAll('status'));
    return EMAIL_STATUSES.filter((status) => wanted.has(status));
  }, [searchParams]);
  const kind = searchParams.get('kind') ?? '';
  const provider = searchParams.get('provider') ?? '';
  const search = (searchParams.get('q') ?? '').trim();

  const setParam = useCallback(
    (name: string, value: string) =>
      setSearchParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value) next.set(name, value);
          else next.delete(name);
          return next;
        },
        { replace: name === 'q' },
      ),
    [setSearchParams],
  );
  const onSearch = useCallback((value: string) => setParam('q', value), [setParam]);

  function toggleStatus(status: EmailStatus) {
    setSearchParams((current) => {
      const next = new URLSearchParams(current);
      const chosen = new Set(next.getAll('status'));
      if (chosen.has(status)) chosen.delete(status);
      else chosen.add(status);
      next.delete('status');
      for (const value of EMAIL_STATUSES.filter((candidate) => chosen.has(candidate)))
        next.append('status', value);
      return next;
    });
  }

  // Unset filters are left out (undefined), so the address and the query key stay small.
  const input: Omit<EmailListInput, 'cursor'> = {
    limit: PAGE_SIZE,
    status: statuses.length ? statuses : undefined,
    kind: kind || undefined,
    provider: provider || undefined,
    search: search || undefined,
  };
  const emails = useInfiniteQuery(
    trpc.emails.list.infiniteQueryOptions(input, {
      getNextPageParam: (page) => page.nextCursor,
      placeholderData: keepPreviousData,
    }),
  );
  const items = emails.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = statuses.length > 0 || kind || provider || search;

  return (
    <>
      <title>Emails · RestoreClick Admin</title>
      <div className="page-heading">
        <h1>Emails</h1>
      </div>
      <section className="panel filters" aria-label="Filters">
        <div className="filter-row">
          <SearchBox
            label="Search emails"
            placeholder="Address or order number"
            value={search}
            onSearch={onSearch}
          />
          <label className="field">
            <span>Kind</span>
            <select value={kind} onChange={(event) => setParam('kind', event.target.value)}>
              <option value="">All kinds</option>
              {Object.entries(EMAIL_KIND_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Delivered through</span>
            <select value={provider} onChange={(event) => setParam('provider', event.target.value)}>
              <option value="">Any</option>
              {Object.entries(PROVIDERS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="chips" role="group" aria-label="Email status">
          {EMAIL_STATUSES.map((status) => (
            <button
              key={status}
              type="button"
              className="chip"
              aria-pressed={statuses.includes(status)}
              onClick={() => toggleStatus(status)}
            >
              {EMAIL_STATUS_LABELS[status]}
            </button>
          ))}
        </div>
      </section>

      <section className="panel table-panel" aria-label="Email list" aria-busy={emails.isFetching}>
        {emails.isPending ? (
          <Loading what="emails" />
        ) : emails.isError && items.length === 0 ? (
          <ErrorNotice error={emails.error} onRetry={() => void emails.refetch()} />
        ) : items.length === 0 ? (
          <Empty>
            {filtered ? 'No email matches these filters.' : 'No email was written yet.'}
          </Empty>
        ) : (
          <>
            <table className={emails.isPlaceholderData ? 'data-table stale' : 'data-table'}>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">To</th>
                  <th scope="col">Status</th>
                  <th scope="col">Order</th>
                  <th scope="col">Delivery</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {items.map((email) => (
                  <tr
                    key={email.id}
                    className="clickable"
                    onClick={(event) => {
                      if ((event.target as HTMLElement).closest('a')) return;
                      void navigate(`/emails/${email.id}`);
                    }}
                  >
                    <th scope="row">
                      <span className="stack">
                        <Link to={`/emails/${email.id}`}>
                          {email.subject ?? emailKindLabel(email.kind)}
                        </Link>
                        <span className="muted small">{emailKindLabel(email.kind)}</span>
                      </span>
                    </th>
                    <td>{email.to}</td>
                    <td>
                      <span className="stack">
                        <Badge tone={EMAIL_STATUS_TONES[email.status]}>
                          {EMAIL_STATUS_LABELS[email.status]}
                        </Badge>
                        {email.lastError && (
                          <span className="text-danger small">{email.lastError}</span>
                        )}
                      </span>
                    </td>
                    <td>
                      {email.orderId && email.orderNumber ? (
                        <Link to={`/orders/${email.orderId}`} className="mono">
                          {email.orderNumber}
                        </Link>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td>
                      <span className="stack">
                        <span>{email.provider ?? '—'}</span>
                        <span className="muted small">
                          {email.attempts} {email.attempts === 1 ? 'attempt' : 'attempts'}
                        </span>
                      </span>
                    </td>
                    <td>
                      <time dateTime={email.createdAt}>{formatDateTime(email.createdAt)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {emails.isError && <ErrorNotice error={emails.error} />}
            <div className="table-footer">
              <span>
                {items.length} {items.length === 1 ? 'email' : 'emails'} shown
              </span>
              {emails.hasNextPage && (
                <button
                  type="button"
                  className="button-secondary"
                  onClick={() => void emails.fetchNextPage()}
                  disabled={emails.isFetchingNextPage}
                >
                  {emails.isFetchingNextPage ? 'Loading…' : 'Load more'}
                </button>
              )}
            </div>
          </>
        )}
      </section>
    </>
  );
}
