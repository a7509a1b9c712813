/**
 * The orders list's filters live in the address (`?status=paid&status=processing&from=…&to=…&q=…`), so a
 * filtered list can be reloaded, bookmarked and shared, and Back returns to it.
 */
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { OrderListInput, OrderStatus } from '../api-types';
import { ORDER_STATUSES } from '../status-labels';

export interface OrderFilters {
  statuses: OrderStatus[];
  /** First day shown, YYYY-MM-DD. */
  from: string;
  /** Last day shown (inclusive), YYYY-MM-DD. */
  to: string;
  search: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function dayOrEmpty(value: string | null): string {
  return value && DAY.test(value) ? value : '';
}

/** The day after `day` (YYYY-MM-DD), for the API's exclusive `to`. */
function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** The browser's IANA time zone: the days an admin picks are their own days, not UTC's. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function toListInput(
  filters: OrderFilters,
  timeZone = browserTimeZone(),
): Omit<OrderListInput, 'cursor'> {
  const days = filters.from || filters.to;
  return {
    ...(filters.statuses.length ? { statuses: filters.statuses } : {}),
    ...(days ? { timeZone } : {}),
    ...(filters.from ? { from: filters.from } : {}),
    ...(filters.to ? { to: nextDay(filters.to) } : {}),
    ...(filters.search ? { search: filters.search } : {}),
  };
}

export function useOrderFilters() {
  const [searchParams, setSearchParams] = useSearchParams();

  const filters = useMemo<OrderFilters>(() => {
    const wanted = new Set(searchParams.getAll('status'));
    return {
      statuses: ORDER_STATUSES.filter((status) => wanted.has(status)),
      from: dayOrEmpty(searchParams.get('from')),
      to: dayOrEmpty(searchParams.get('to')),
      search: (searchParams.get('q') ?? '').trim(),
    };
  }, [searchParams]);

  const update = useCallback(
    (change: Partial<OrderFilters>) => {
      setSearchParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (change.statuses) {
            next.delete('status');
            for (const status of change.statuses) next.append('status', status);
          }
          for (const [key, param] of [
            ['from', 'from'],
            ['to', 'to'],
            ['search', 'q'],
          ] as const) {
            const value = change[key];
            if (value === undefined) continue;
            if (value) next.set(param, value);
            else next.delete(param);
          }
          return next;
        },
        // Typing in the search box must not fill the history with one entry per letter.
        { replace: change.search !== undefined },
      );
    },
    [setSearchParams],
  );

  return { filters, update };
}
