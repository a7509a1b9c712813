/**
 * The business at a glance for the last N days, in the admin's time zone (UTC unless told): paid orders, revenue and refunds per day, how long a
 * restoration takes on average, and what an order costs us to serve (model seconds and emails, priced by the
 * `RESTORATION_COST_PER_SECOND_CENTS` and `EMAIL_COST_CENTS` settings).
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import { addDays, dayIn, isTimeZone, startOfDayIn } from './time-zones';

export interface BusinessCosts {
  restorationCostPerSecondCents: number;
  emailCostCents: number;
}

export interface BusinessDay {
  /** YYYY-MM-DD, in the time zone the summary was asked for. */
  day: string;
  orders: number;
  revenue: number;
  refunded: number;
}

export interface BusinessSummary {
  perDay: BusinessDay[];
  currency: string;
  totals: { orders: number; revenue: number; refunded: number };
  averageRestorationSeconds: number | null;
  costPerOrderCents: number | null;
}

/**
 * Order events that carry the charge's running refund total (`amountRefunded`); a refund that failed later
 * lowers it again (`refund.failed` with the total after it).
 */
const REFUND_EVENTS = [
  'payment.refunded',
  'payment.partially_refunded',
  'payment.refund_recorded',
  'refund.failed',
];

export async function summarizeBusiness(
  db: Kysely<Database>,
  deps: { costs: BusinessCosts; currency: string; now?: () => Date },
  input: { days: number; timeZone?: string },
): Promise<BusinessSummary> {
  const now = deps.now?.() ?? new Date();
  const timeZone = input.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) {
    throw new AppError(
      'INVALID_INPUT',
      `"${timeZone}" is not a time zone like Europe/Paris or UTC.`,
    );
  }
  const firstDay = addDays(dayIn(timeZone, now), -(input.days - 1));
  const start = startOfDayIn(firstDay, timeZone);

  const [paid, refunds, restoration, emails] = await Promise.all([
    sql<{ day: string; orders: string; revenue: string }>`
      select to_char(paid_at at time zone ${timeZone}, 'YYYY-MM-DD') as day,
        count(*) as orders, coalesce(sum(amount_paid), 0) as revenue
      from orders
      where paid_at >= ${start} and currency = ${deps.currency}
      group by 1
    `.execute(db),
    // Each refund event has the running total: what it added is its total less the one before it. Only
    // orders that are (partially) refunded have such events, and the status index finds them.
    sql<{ day: string; refunded: string }>`
      select to_char(at at time zone ${timeZone}, 'YYYY-MM-DD') as day, sum(added) as refunded
      from (
        select e.at, (e.data->>'amountRefunded')::bigint - coalesce(lag((e.data->>'amountRefunded')::bigint)
          over (partition by e.order_id order by e.id), 0) as added
        from orders o join order_events e on e.order_id = o.id
        where o.status in ('refunded', 'partially_refunded') and o.currency = ${deps.currency}
          and e.type = any(${REFUND_EVENTS}::text[]) and e.data ? 'amountRefunded'
      ) as refund_steps
      where at >= ${start}
      group by 1
    `.execute(db),
    sql<{ average: number | null; total_seconds: number | null }>`
      select avg(predict_seconds) filter (where status = 'succeeded') as average,
        sum(predict_seconds) as total_seconds
      from restoration_jobs
      where created_at >= ${start}
    `.execute(db),
    sql<{ sent: string }>`
      select count(*) as sent from email_messages where status = 'sent' and created_at >= ${start}
    `.execute(db),
  ]);

  const paidByDay = new Map(paid.rows.map((row) => [row.day, row]));
  const refundedByDay = new Map(refunds.rows.map((row) => [row.day, Number(row.refunded)]));
  const perDay: BusinessDay[] = [];
  for (let index = 0; index < input.days; index += 1) {
    const day = addDays(firstDay, index);
    const row = paidByDay.get(day);
    perDay.push({
      day,
      orders: Number(row?.orders ?? 0),
      revenue: Number(row?.revenue ?? 0),
      refunded: refundedByDay.get(day) ?? 0,
    });
  }
  const totals = perDay.reduce(
    (sum, day) => ({
      orders: sum.orders + day.orders,
      revenue: sum.revenue + day.revenue,
      refunded: sum.refunded + day.refunded,
    }),
    { orders: 0, revenue: 0, refunded: 0 },
  );
  const average = restoration.rows[0]?.average;
  const providerSeconds = Number(restoration.rows[0]?.total_seconds ?? 0);
  const cost =
    providerSeconds * deps.costs.restorationCostPerSecondCents +
    Number(emails.rows[0]?.sent ?? 0) * deps.costs.emailCostCents;
  return {
    perDay,
    currency: deps.currency,
    totals,
    averageRestorationSeconds:
      average === null || average === undefined ? null : round(Number(average)),
    costPerOrderCents: totals.orders > 0 ? round(cost / totals.orders) : null,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
