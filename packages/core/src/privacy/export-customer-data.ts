/**
 * A customer's data as one JSON document, for an access request: who they are, each order with its amounts,
 * photos (names, sizes, what became of them) and timeline, and every email we wrote to them with its text. The
 * photos themselves are not in it: they are on the order page until their deletion date. Each export is
 * audited (who exported whom, when).
 */
import type { BillingAddress, Database, Kysely, OrderStatus } from '@restoreclick/db';
import { type AdminActor, recordAudit } from '../admin/audit-log';
import { requireCustomerByEmail } from './find-customer';

export const CUSTOMER_EXPORT_FORMAT = 'restoreclick.customer-export.v1';

export interface ExportedPhoto {
  position: number;
  filename: string;
  status: string;
  width: number | null;
  height: number | null;
  bytes: number | null;
  restoredWidth: number | null;
  restoredHeight: number | null;
  restoredBytes: number | null;
  restoredType: string | null;
  error: string | null;
  originalDeletedAt: string | null;
  restoredDeletedAt: string | null;
}

export interface ExportedEvent {
  at: string;
  type: string;
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus | null;
  /** `customer`, `support` (one of our staff), or the part of the system that acted. */
  by: string;
  data: Record<string, unknown>;
}

export interface ExportedOrder {
  id: string;
  orderNumber: string;
  status: OrderStatus;
  product: string;
  currency: string;
  totalAmount: number;
  amountPaid: number | null;
  amountRefunded: number;
  createdAt: string;
  paidAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  email: string | null;
  name: string | null;
  billingAddress: BillingAddress | null;
  photos: ExportedPhoto[];
  events: ExportedEvent[];
}

export interface ExportedEmail {
  id: string;
  orderNumber: string | null;
  kind: string;
  to: string;
  subject: string | null;
  status: string;
  createdAt: string;
  sentAt: string | null;
  text: string | null;
}

export interface CustomerDataExport {
  format: typeof CUSTOMER_EXPORT_FORMAT;
  exportedAt: string;
  customer: { id: string; email: string; name: string | null; createdAt: string };
  orders: ExportedOrder[];
  emails: ExportedEmail[];
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

function exportedActor(actor: string): string {
  return actor.startsWith('admin:') ? 'support' : actor;
}

export async function exportCustomerData(
  db: Kysely<Database>,
  input: { email: string; admin: AdminActor; now?: Date },
): Promise<{ fileName: string; data: CustomerDataExport }> {
  const now = input.now ?? new Date();
  const customer = await requireCustomerByEmail(db, input.email);
  const orders = await db
    .selectFrom('orders')
    .selectAll()
    .where('customer_id', '=', customer.id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const orderIds = orders.map((order) => order.id);
  const [images, events, emails] = orderIds.length
    ? await Promise.all([
        db
          .selectFrom('order_images')
          .selectAll()
          .where('order_id', 'in', orderIds)
          .orderBy('position')
          .execute(),
        db
          .selectFrom('order_events')
          .selectAll()
          .where('order_id', 'in', orderIds)
          .orderBy('id')
          .execute(),
        db
          .selectFrom('email_messages')
          .selectAll()
          .where((eb) =>
            eb.or([eb('customer_id', '=', customer.id), eb('order_id', 'in', orderIds)]),
          )
          .orderBy('created_at')
          .orderBy('id')
          .execute(),
      ])
    : [
        [],
        [],
        await db
          .selectFrom('email_messages')
          .selectAll()
          .where('customer_id', '=', customer.id)
          .orderBy('created_at')
          .orderBy('id')
          .execute(),
      ];
  const orderNumbers = new Map(orders.map((order) => [order.id, order.order_number]));

  const data: CustomerDataExport = {
    format: CUSTOMER_EXPORT_FORMAT,
    exportedAt: now.toISOString(),
    customer: {
      id: customer.id,
      email: customer.email,
      name: customer.name,
      createdAt: customer.created_at.toISOString(),
    },
    orders: orders.map((order) => ({
      id: order.id,
      orderNumber: order.order_number,
      status: order.status,
      product: order.product_option,
      currency: order.currency,
      totalAmount: order.total_amount,
      amountPaid: order.amount_paid,
      amountRefunded: order.amount_refunded,
      createdAt: order.created_at.toISOString(),
      paidAt: iso(order.paid_at),
      completedAt: iso(order.completed_at),
      cancelledAt: iso(order.cancelled_at),
      email: order.customer_email,
      name: order.customer_name,
      billingAddress: order.billing_address,
      photos: images
        .filter((image) => image.order_id === order.id)
        .map((image) => ({
          position: image.position,
          filename: image.original_filename,
          status: image.status,
          width: image.width,
          height: image.height,
          bytes: image.bytes,
          restoredWidth: image.restored_width,
          restoredHeight: image.restored_height,
          restoredBytes: image.restored_bytes,
          restoredType: image.restored_mime_type,
          error: image.error,
          originalDeletedAt: iso(image.original_purged_at),
          restoredDeletedAt: iso(image.restored_purged_at),
        })),
      events: events
        .filter((event) => event.order_id === order.id)
        .map((event) => ({
          at: event.at.toISOString(),
          type: event.type,
          fromStatus: event.from_status,
          toStatus: event.to_status,
          by: exportedActor(event.actor),
          data: event.data,
        })),
    })),
    emails: emails.map((email) => ({
      id: email.id,
      orderNumber: email.order_id ? (orderNumbers.get(email.order_id) ?? null) : null,
      kind: email.kind,
      to: email.to_address,
      subject: email.subject,
      status: email.status,
      createdAt: email.created_at.toISOString(),
      sentAt: iso(email.sent_at),
      text: email.text,
    })),
  };
  await recordAudit(db, {
    adminUserId: input.admin.id,
    action: 'customer.export',
    entityType: 'customer',
    entityId: customer.id,
    after: { orders: orders.length, emails: emails.length },
    ip: input.admin.ip,
  });
  return { fileName: `restoreclick-customer-${customer.id}.json`, data };
}
