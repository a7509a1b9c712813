/**
 * The admins' order list: newest first, keyset-paginated on (created_at, id), filtered by status, creation
 * date and a search (an order number by prefix, or customer email or name anywhere in the text), with the
 * count of every status under the same filters but the status one. Each filter has its index (see the
 * 006_admin migration), so a page costs the same at the first order as at the hundred-thousandth.
 */
import { type RawBuilder, sql } from 'kysely';
import { type Database, type Kysely, ORDER_STATUSES, type OrderStatus } from '@restoreclick/db';
import {
  allOf,
  decodeCursor,
  encodeCursor,
  escapeLike,
  isOrderNumberSearch,
  isoMicroseconds,
} from './list-queries';

export interface AdminOrderListInput {
  statuses?: readonly OrderStatus[];
  /** Created at or after. */
  from?: Date;
  /** Created before. */
  to?: Date;
  search?: string;
  cursor?: string | null;
  limit: number;
}

export interface AdminOrderSummary {
  id: string;
  orderNumber: string;
  status: OrderStatus;
  customerEmail: string;
  customerName: string | null;
  totalAmount: number;
  amountRefunded: number;
  currency: string;
  photoCount: number;
  failedPhotoCount: number;
  createdAt: string;
  paidAt: string | null;
}

export interface AdminOrderPage {
  items: AdminOrderSummary[];
  nextCursor: string | null;
  counts: Record<OrderStatus, number>;
}

/** The conditions every filter but the status adds, over `orders as o`. */
export function orderFilterConditions(input: {
  from?: Date;
  to?: Date;
  search?: string;
}): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [];
  if (input.from) conditions.push(sql`o.created_at >= ${input.from}`);
  if (input.to) conditions.push(sql`o.created_at < ${input.to}`);
  const search = input.search?.trim();
  if (search) {
    if (isOrderNumberSearch(search)) {
      conditions.push(sql`o.order_number like ${`${escapeLike(search)}%`}`);
    } else {
      const pattern = `%${escapeLike(search.toLowerCase())}%`;
      conditions.push(sql`o.customer_id in (
        select id from customers where email_normalized like ${pattern} or name ilike ${pattern}
      )`);
    }
  }
  return conditions;
}

/**
 * The counts per status under `conditions`. Without a search, one index-only range count per status on
 * (status, created_at) reads less than grouping every order of the range; a search narrows the orders to a
 * few customers first, and grouping those is cheaper.
 */
async function countByStatus(
  db: Kysely<Database>,
  conditions: RawBuilder<unknown>[],
  searching: boolean,
): Promise<Array<{ status: OrderStatus; n: string }>> {
  if (searching) {
    return db
      .selectFrom('orders as o')
      .select((eb) => ['o.status', eb.fn.countAll<string>().as('n')])
      .where(allOf(conditions))
      .groupBy('o.status')
      .execute();
  }
  const { rows } = await sql<{ status: OrderStatus; n: string }>`
    select s.status,
      (select count(*) from orders o where o.status = s.status and ${allOf(conditions)}) as n
    from unnest(${[...ORDER_STATUSES]}::text[]) as s(status)
  `.execute(db);
  return rows;
}

export async function listAdminOrders(
  db: Kysely<Database>,
  input: AdminOrderListInput,
): Promise<AdminOrderPage> {
  const shared = orderFilterConditions(input);
  const listConditions = [...shared];
  if (input.statuses?.length) {
    listConditions.push(sql`o.status = any(${[...input.statuses]}::text[])`);
  }
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor);
    listConditions.push(
      sql`(o.created_at, o.id) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`,
    );
  }

  const [rows, countRows] = await Promise.all([
    db
      .selectFrom('orders as o')
      .innerJoin('customers as c', 'c.id', 'o.customer_id')
      .select((eb) => [
        'o.id',
        'o.order_number',
        'o.status',
        'o.total_amount',
        'o.amount_refunded',
        'o.currency',
        'o.created_at',
        'o.paid_at',
        eb.fn.coalesce('o.customer_email', 'c.email').as('customer_email'),
        eb.fn.coalesce('o.customer_name', 'c.name').as('customer_name'),
        isoMicroseconds('o.created_at').as('cursor_at'),
        eb
          .selectFrom('order_images as i')
          .select((inner) => inner.fn.countAll<string>().as('n'))
          .whereRef('i.order_id', '=', 'o.id')
          .as('photo_count'),
        eb
          .selectFrom('order_images as i')
          .select((inner) => inner.fn.countAll<string>().as('n'))
          .whereRef('i.order_id', '=', 'o.id')
          .where('i.status', '=', 'failed')
          .as('failed_photo_count'),
      ])
      .where(allOf(listConditions))
      .orderBy('o.created_at', 'desc')
      .orderBy('o.id', 'desc')
      .limit(input.limit + 1)
      .execute(),
    countByStatus(db, shared, Boolean(input.search?.trim())),
  ]);

  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const counts = Object.fromEntries(ORDER_STATUSES.map((status) => [status, 0])) as Record<
    OrderStatus,
    number
  >;
  for (const row of countRows) counts[row.status] = Number(row.n);

  return {
    items: page.map((row) => ({
      id: row.id,
      orderNumber: row.order_number,
      status: row.status,
      customerEmail: row.customer_email,
      customerName: row.customer_name,
      totalAmount: row.total_amount,
      amountRefunded: row.amount_refunded,
      currency: row.currency,
      photoCount: Number(row.photo_count ?? 0),
      failedPhotoCount: Number(row.failed_photo_count ?? 0),
      createdAt: row.created_at.toISOString(),
      paidAt: row.paid_at?.toISOString() ?? null,
    })),
    nextCursor:
      rows.length > input.limit && last ? encodeCursor({ at: last.cursor_at, id: last.id }) : null,
    counts,
  };
}
