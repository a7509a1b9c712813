/** Every order, newest first: filter by status, day and customer, then open one. Filters live in the address. */
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { OrderStatus } from '../api-types';
import { ORDER_STATUS_LABELS, ORDER_STATUSES } from '../status-labels';
import { useTRPC } from '../trpc';
import { Empty, ErrorNotice, Loading } from '../ui/query-states';
import { SearchBox } from '../ui/search-box';
import { toListInput, useOrderFilters } from './order-filters';
import { OrdersTable } from './orders-table';

const PAGE_SIZE = 25;

export function OrdersPage() {
  const trpc = useTRPC();
  const { filters, update } = useOrderFilters();
  const search = useCallback((value: string) => update({ search: value }), [update]);

  const orders = useInfiniteQuery(
    trpc.orders.list.infiniteQueryOptions(
      { ...toListInput(filters), limit: PAGE_SIZE },
      {
        getNextPageParam: (page) => page.nextCursor,
        // While a new filter loads, the old rows stay (dimmed) instead of a blank table.
        placeholderData: keepPreviousData,
      },
    ),
  );
  const counts = orders.data?.pages[0]?.counts;
  const items = orders.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = filters.statuses.length > 0 || filters.from || filters.to || filters.search;

  function toggleStatus(status: OrderStatus) {
    const selected = filters.statuses.includes(status);
    update({
      statuses: selected
        ? filters.statuses.filter((other) => other !== status)
        : [...filters.statuses, status],
    });
  }

  return (
    <>
      <title>Orders · RestoreClick Admin</title>
      <div className="page-heading">
        <h1>Orders</h1>
      </div>
      <section className="panel filters" aria-label="Filters">
        <div className="filter-row">
          <SearchBox
            label="Search orders"
            placeholder="Customer email or name, or order number"
            value={filters.search}
            onSearch={search}
          />
          <label className="field">
            <span>Created from</span>
            <input
              type="date"
              value={filters.from}
              max={filters.to || undefined}
              onChange={(event) => update({ from: event.target.value })}
            />
          </label>
          <label className="field">
            <span>Created to</span>
            <input
              type="date"
              value={filters.to}
              min={filters.from || undefined}
              onChange={(event) => update({ to: event.target.value })}
            />
          </label>
          {filtered && (
            <button
              type="button"
              className="button-secondary"
              onClick={() => update({ statuses: [], from: '', to: '', search: '' })}
            >
              Clear filters
            </button>
          )}
        </div>
        <div className="chips" role="group" aria-label="Order status">
          {ORDER_STATUSES.map((status) => {
            const selected = filters.statuses.includes(status);
            return (
              <button
                key={status}
                type="button"
                className="chip"
                aria-pressed={selected}
                onClick={() => toggleStatus(status)}
              >
                {ORDER_STATUS_LABELS[status]}{' '}
                <span className="chip-count">{counts ? counts[status] : '…'}</span>
              </button>
            );
          })}
        </div>
      </section>

      <section className="panel table-panel" aria-label="Order list" aria-busy={orders.isFetching}>
        {orders.isPending ? (
          <Loading what="orders" />
        ) : orders.isError && items.length === 0 ? (
          <ErrorNotice error={orders.error} onRetry={() => void orders.refetch()} />
        ) : items.length === 0 ? (
          <Empty>{filtered ? 'No order matches these filters.' : 'No orders yet.'}</Empty>
        ) : (
          <>
            <OrdersTable orders={items} stale={orders.isPlaceholderData} />
            {orders.isError && <ErrorNotice error={orders.error} />}
            <div className="table-footer">
              <span>
                {items.length} {items.length === 1 ? 'order' : 'orders'} shown
              </span>
              {orders.hasNextPage && (
                <button
                  type="button"
                  className="button-secondary"
                  onClick={() => void orders.fetchNextPage()}
                  disabled={orders.isFetchingNextPage}
                >
                  {orders.isFetchingNextPage ? 'Loading…' : 'Load more'}
                </button>
              )}
            </div>
          </>
        )}
      </section>
    </>
  );
}
