/**
 * Every email the system wrote, for admins: newest first, keyset-paginated, filtered by status, kind,
 * provider and a search (the address anywhere in the text, or an order number by prefix). Without SendGrid the delivered ones
 * are the outbox (`provider = 'outbox'`), and this is where they are read.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Database, EmailStatus, Kysely } from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import {
  allOf,
  decodeCursor,
  encodeCursor,
  escapeLike,
  isOrderNumberSearch,
  isoMicroseconds,
} from './list-queries';

export interface AdminEmailListInput {
  statuses?: readonly EmailStatus[];
  kind?: string;
  /** `outbox`, `sendgrid`, …: who delivered it. */
  provider?: string;
  search?: string;
  cursor?: string | null;
  limit: number;
}

export interface AdminEmailSummary {
  id: string;
  kind: string;
  to: string;
  subject: string | null;
  status: EmailStatus;
  provider: string | null;
  attempts: number;
  orderId: string | null;
  orderNumber: string | null;
  createdAt: string;
  sentAt: string | null;
  lastError: string | null;
}

export interface AdminEmailDetail extends AdminEmailSummary {
  html: string | null;
  text: string | null;
  attachments: Array<{ filename: string; contentType: string; bytes: number }>;
}

function baseQuery(db: Kysely<Database>) {
  return db
    .selectFrom('email_messages as e')
    .leftJoin('orders as o', 'o.id', 'e.order_id')
    .select([
      'e.id',
      'e.kind',
      'e.to_address',
      'e.subject',
      'e.status',
      'e.provider',
      'e.attempts',
      'e.order_id',
      'o.order_number',
      'e.created_at',
      'e.sent_at',
      'e.last_error',
    ]);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

function summaryOf(row: SummaryRow): AdminEmailSummary {
  return {
    id: row.id,
    kind: row.kind,
    to: row.to_address,
    subject: row.subject,
    status: row.status,
    provider: row.provider,
    attempts: row.attempts,
    orderId: row.order_id,
    orderNumber: row.order_number,
    createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null,
    lastError: row.last_error,
  };
}

export async function listAdminEmails(
  db: Kysely<Database>,
  input: AdminEmailListInput,
): Promise<{ items: AdminEmailSummary[]; nextCursor: string | null }> {
  const conditions: RawBuilder<unknown>[] = [];
  if (input.statuses?.length) {
    conditions.push(sql`e.status = any(${[...input.statuses]}::text[])`);
  }
  if (input.kind) conditions.push(sql`e.kind = ${input.kind}`);
  if (input.provider) conditions.push(sql`e.provider = ${input.provider}`);
  const search = input.search?.trim();
  if (search) {
    conditions.push(
      isOrderNumberSearch(search)
        ? sql`e.order_id in (select id from orders where order_number like ${`${escapeLike(search)}%`})`
        : sql`e.to_address ilike ${`%${escapeLike(search)}%`}`,
    );
  }
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor);
    conditions.push(sql`(e.created_at, e.id) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`);
  }
  const rows = await baseQuery(db)
    .select(isoMicroseconds('e.created_at').as('cursor_at'))
    .where(allOf(conditions))
    .orderBy('e.created_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(input.limit + 1)
    .execute();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(summaryOf),
    nextCursor:
      rows.length > input.limit && last ? encodeCursor({ at: last.cursor_at, id: last.id }) : null,
  };
}

interface PlannedAttachment {
  filename?: unknown;
  contentType?: unknown;
  bytes?: unknown;
}

export async function getAdminEmail(
  db: Kysely<Database>,
  emailMessageId: string,
): Promise<AdminEmailDetail> {
  const row = await baseQuery(db)
    .select(['e.html', 'e.text', 'e.data'])
    .where('e.id', '=', emailMessageId)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `There is no email with id ${emailMessageId}.`);
  const planned = (row.data as { attachments?: unknown }).attachments;
  const attachments = Array.isArray(planned)
    ? (planned as PlannedAttachment[]).map((attachment) => ({
        filename: String(attachment.filename ?? ''),
        contentType: String(attachment.contentType ?? 'application/octet-stream'),
        bytes: Number(attachment.bytes ?? 0),
      }))
    : [];
  return { ...summaryOf(row), html: row.html, text: row.text, attachments };
}
