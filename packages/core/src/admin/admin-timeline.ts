/**
 * An order's history for admins: its `order_events` (what the system, the customer, Stripe and the worker
 * did) merged with the `audit_logs` rows of admin actions on it, oldest first, each with who did it and one
 * sentence that says what happened.
 */
import type { Database, Kysely } from '@restoreclick/db';

export interface AdminTimelineEntry {
  id: string;
  at: string;
  source: 'order' | 'audit';
  type: string;
  /** `system`, `customer`, `stripe`, `worker`, `reconciliation`, or an admin's email. */
  actor: string;
  summary: string;
  data: Record<string, unknown>;
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value ? value : fallback;
}

function amount(value: unknown): string {
  return typeof value === 'number' ? (value / 100).toFixed(2) : '?';
}

const EMAIL_KINDS: Record<string, string> = {
  order_confirmation: 'order confirmation',
  restoration_complete: 'restored photos',
  share: 'share',
  images_refunded: 'refunded photos',
};

function emailKind(data: Record<string, unknown>): string {
  const kind = text(data.kind, 'an');
  return EMAIL_KINDS[kind] ?? kind.replace(/_/g, ' ');
}

/** One sentence for an order event; types without wording of their own are named as they are. */
export function describeOrderEvent(
  type: string,
  data: Record<string, unknown>,
  change: { from: string | null; to: string | null },
): string {
  const photo = text(data.filename, 'A photo');
  switch (type) {
    case 'order.created':
      return 'Order placed';
    case 'checkout.session_created':
      return 'Checkout page opened';
    case 'order.basket_changed':
      return 'The customer changed the photos before paying';
    case 'payment.succeeded':
      return `Payment received (${amount(data.amountTotal)} ${text(data.currency, '')})`.trim();
    case 'payment.failed':
      return 'The payment did not go through';
    case 'payment.received_for_closed_order':
      return 'Money arrived for an order that was already closed: check it in Stripe';
    case 'checkout.expired':
      return 'The checkout expired before payment';
    case 'payment.refunded':
      return `Refunded in full (${amount(data.amountRefunded)} of ${amount(data.amountPaid)})`;
    case 'payment.partially_refunded':
      return `Refunded in part (${amount(data.amountRefunded)} of ${amount(data.amountPaid)})`;
    case 'payment.refund_recorded':
      return `Refund recorded (${amount(data.amountRefunded)} in total)`;
    case 'refund.requested':
      return `Refund of ${amount(data.amount)} requested`;
    case 'refund.created':
      return `Stripe accepted the refund of ${amount(data.amount)} (${text(data.refundId, '')})`;
    case 'refund.failed':
      return typeof data.amountRefunded === 'number'
        ? `The refund of ${amount(data.amount)} failed at Stripe (${text(data.reason, 'no reason given')}): the money is back, ${amount(data.amountRefunded)} stays refunded`
        : `Stripe refused the refund: ${text(data.reason, 'no reason given')}`;
    case 'restoration.queued':
      return `Restoration queued for ${String(data.photos ?? '?')} photo(s)`;
    case 'restoration.started':
      return 'Restoration started';
    case 'restoration.retry_requested':
      return `${photo} sent for another restoration attempt`;
    case 'restoration.attempt_failed': {
      const failed = `${photo}: attempt ${String(data.attempt ?? '?')} failed (${text(data.reason, 'no reason')})`;
      return data.next === 'next_model' && typeof data.nextModel === 'string'
        ? `${failed}; trying ${data.nextModel}`
        : failed;
    }
    case 'restoration.prediction_recovered':
      return `${photo}: an interrupted attempt's prediction was found and followed (none made twice)`;
    case 'restoration.prediction_repolled':
      return `A slow prediction was checked again after ${String(data.runningSeconds ?? '?')} s`;
    case 'restoration.attempt_cancelled':
      return `A restoration attempt was not needed any more (${text(data.reason, '')})`;
    case 'image.restored':
      return `${photo} is restored`;
    case 'image.failed':
      return `${photo} could not be restored: ${text(data.reason, 'no reason')}`;
    case 'order.needs_attention':
      return `Needs attention: ${text(data.reason, 'a photo failed every attempt')}`;
    case 'order.swept':
      return `Stuck for ${String(data.idleSeconds ?? '?')} s: driven again (sweep ${String(data.sweep ?? '?')})`;
    case 'refund.automatic_scheduled':
      return `Automatic refund of ${Array.isArray(data.images) ? data.images.length : '?'} photo(s) scheduled for ${text(data.dueAt, '?')}`;
    case 'refund.automatic_cancelled':
      return `Automatic refund stopped: ${text(data.reason, 'no reason given')}`;
    case 'refund.automatic_expedited':
      return 'Automatic refund issued early';
    case 'refund.automatic_issued':
      return `Refunded ${amount(data.amount)} for ${photo} (automatic)`;
    case 'refund.automatic_failed':
      return `Automatic refund of ${photo} failed: ${text(data.error, 'no reason given')}`;
    case 'refund.automatic_redriven':
      return 'A lost automatic refund job was queued again';
    case 'order.completed':
      return data.failed
        ? `Finished: ${String(data.restored)} restored, ${String(data.failed)} failed`
        : 'All photos are restored';
    case 'order.cancelled':
      return 'Order cancelled';
    case 'order.status_changed':
      return `Status changed from ${change.from ?? '?'} to ${change.to ?? '?'}`;
    case 'fulfilment.rerun':
      return `Fulfilment run again: ${text(data.result, '')}`;
    case 'email.queued':
      return `The ${emailKind(data)} email was queued`;
    case 'email.sent':
      return `The ${emailKind(data)} email was sent`;
    case 'email.failed':
      return `The ${emailKind(data)} email failed: ${text(data.reason, '')}`;
    case 'email.retry_scheduled':
      return `The ${emailKind(data)} email will be tried again`;
    case 'email.resend_requested':
      return `The ${emailKind(data)} email was requested again`;
    case 'email.outcome_unknown':
      return `The ${emailKind(data)} email may have been sent twice`;
    case 'order.shared':
      return 'The customer shared the photos';
    case 'photos.purged':
      return `${data.files === 'originals' ? 'Originals' : data.files === 'restored' ? 'Restored photos' : 'Photos'} deleted: the retention period is over`;
    case 'photos.deleted':
      return `The customer deleted their photos (${String(data.photos ?? '?')})`;
    case 'customer.erased':
      return 'Customer erased: photos deleted, personal data removed';
    default:
      return change.to ? `${type} (${change.from ?? '?'} → ${change.to})` : type;
  }
}

const AUDIT_WORDS: Record<string, string> = {
  'order.change_status': 'changed the status',
  'order.retry_restoration': 'retried restoration',
  'order.resend_email': 'sent an email again',
  'order.refund': 'asked for a refund',
  'order.rerun_fulfilment': 'ran fulfilment again',
  'order.cancel': 'cancelled the order',
  'email.resend': 'sent an email again',
  'order.automatic_refund.cancel': 'stopped an automatic refund',
  'order.automatic_refund.issue_now': 'issued an automatic refund early',
  'customer.export': "exported the customer's data",
  'customer.erase': 'erased the customer',
};

export function describeAuditAction(
  action: string,
  actor: string,
  after: Record<string, unknown> | null,
): string {
  const words = AUDIT_WORDS[action] ?? action;
  const said = after?.note ?? after?.reason;
  const note = typeof said === 'string' && said ? `: “${said}”` : '';
  return `${actor} ${words}${note}`;
}

/** The order's events and its audit rows, merged, oldest first. */
export async function loadOrderTimeline(
  db: Kysely<Database>,
  orderId: string,
): Promise<AdminTimelineEntry[]> {
  const [events, audits] = await Promise.all([
    db
      .selectFrom('order_events')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('audit_logs')
      .selectAll()
      .where('entity_type', '=', 'order')
      .where('entity_id', '=', orderId)
      .orderBy('at')
      .orderBy('id')
      .execute(),
  ]);
  const adminIds = new Set<string>();
  for (const event of events) {
    if (event.actor.startsWith('admin:')) adminIds.add(event.actor.slice('admin:'.length));
  }
  for (const audit of audits) if (audit.admin_user_id) adminIds.add(audit.admin_user_id);
  const admins = adminIds.size
    ? await db
        .selectFrom('admin_users')
        .select(['id', 'email'])
        .where('id', 'in', [...adminIds])
        .execute()
    : [];
  const emailOf = new Map(admins.map((admin) => [admin.id, admin.email]));
  const actorName = (actor: string) =>
    actor.startsWith('admin:')
      ? (emailOf.get(actor.slice('admin:'.length)) ?? 'a deleted admin')
      : actor;

  const entries: Array<AdminTimelineEntry & { sortAt: number; order: number }> = [];
  for (const event of events) {
    entries.push({
      id: `order:${event.id}`,
      at: event.at.toISOString(),
      source: 'order',
      type: event.type,
      actor: actorName(event.actor),
      summary: describeOrderEvent(event.type, event.data, {
        from: event.from_status,
        to: event.to_status,
      }),
      data: {
        ...event.data,
        ...(event.to_status ? { fromStatus: event.from_status, toStatus: event.to_status } : {}),
      },
      sortAt: event.at.getTime(),
      order: 0,
    });
  }
  for (const audit of audits) {
    const actor = audit.admin_user_id
      ? (emailOf.get(audit.admin_user_id) ?? 'a deleted admin')
      : 'system';
    const after = (audit.after ?? null) as Record<string, unknown> | null;
    entries.push({
      id: `audit:${audit.id}`,
      at: audit.at.toISOString(),
      source: 'audit',
      type: audit.action,
      actor,
      summary: describeAuditAction(audit.action, actor, after),
      data: { before: audit.before ?? null, after, ip: audit.ip },
      sortAt: audit.at.getTime(),
      // At the same instant the admin's action comes before the events it caused.
      order: -1,
    });
  }
  entries.sort((a, b) => a.sortAt - b.sortAt || a.order - b.order);
  return entries.map(({ sortAt: _sortAt, order: _order, ...entry }) => entry);
}
