/** How the business does: orders and revenue per day, totals, how long restoration takes and what an order costs. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { formatCents, formatDuration, formatMoney } from '../format';
import { browserTimeZone } from '../orders/order-filters';
import { useTRPC } from '../trpc';
import { ErrorNotice, Loading } from '../ui/query-states';
import { DailyChart } from './daily-chart';

const PERIODS = [7, 30, 90, 365] as const;
const DEFAULT_DAYS = 30;

function daysFrom(value: string | null): number {
  const days = Number(value);
  return PERIODS.some((period) => period === days) ? days : DEFAULT_DAYS;
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd>
        <span className="stat-value">{value}</span>
        {hint && <span className="muted small">{hint}</span>}
      </dd>
    </div>
  );
}

export function BusinessPage() {
  const trpc = useTRPC();
  const [searchParams, setSearchParams] = useSearchParams();
  const days = daysFrom(searchParams.get('days'));
  const summary = useQuery({
    ...trpc.business.summary.queryOptions({ days, timeZone: browserTimeZone() }),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <title>Business · RestoreClick Admin</title>
      <div className="page-heading">
        <h1>Business</h1>
        <label className="field field-inline push-right">
          <span>Period</span>
          <select
            value={days}
            onChange={(event) => setSearchParams({ days: event.target.value }, { replace: true })}
          >
            {PERIODS.map((period) => (
              <option key={period} value={period}>
                Last {period} days
              </option>
            ))}
          </select>
        </label>
      </div>
      {summary.isPending ? (
        <Loading what="the figures" />
      ) : !summary.data ? (
        <ErrorNotice error={summary.error} onRetry={() => void summary.refetch()} />
      ) : (
        <div className={summary.isPlaceholderData ? 'stale' : undefined}>
          {summary.isError && <ErrorNotice error={summary.error} />}
          <dl className="stats panel" aria-label={`Totals of the last ${days} days`}>
            <Stat label="Orders" value={String(summary.data.totals.orders)} />
            <Stat
              label="Revenue"
              value={formatMoney(summary.data.totals.revenue, summary.data.currency)}
            />
            <Stat
              label="Refunded"
              value={formatMoney(summary.data.totals.refunded, summary.data.currency)}
            />
            <Stat
              label="Average restoration time"
              value={
                summary.data.averageRestorationSeconds === null
                  ? '—'
                  : formatDuration(summary.data.averageRestorationSeconds * 1000)
              }
              hint="per photo, paid to restored"
            />
            <Stat
              label="Cost per order"
              value={
                summary.data.costPerOrderCents === null
                  ? '—'
                  : formatCents(summary.data.costPerOrderCents)
              }
              hint="restoration time and emails"
            />
          </dl>
          <div className="charts">
            <DailyChart
              title="Orders per day"
              days={summary.data.perDay}
              series="orders"
              format={(value) => String(value)}
            />
            <DailyChart
              title="Revenue per day"
              days={summary.data.perDay}
              series="revenue"
              format={(value) => formatMoney(value, summary.data.currency)}
            />
          </div>
        </div>
      )}
    </>
  );
}
