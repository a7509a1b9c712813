/**
 * A customer as the admins' privacy page sees them before exporting or erasing: who they are, their orders
 * with how many photos still have files, and whether erasure may go ahead now (or which order holds it up).
 */
import type { Customer, Database, Kysely, OrderStatus } from '@restoreclick/db';
import { normalizeEmail } from '../checkout/create-checkout';
import { AppError } from '../errors/app-error';
import { type PhotosInUse, photosInUse } from './photo-deletion-rules';

export interface PrivacyCustomerOrder {
  id: string;
  orderNumber: string;
  status: OrderStatus;
  createdAt: Date;
  totalAmount: number;
  currency: string;
  photos: number;
  /** Photos with at least one file still stored. */
  photosWithFiles: number;
  /** Why this order's photos cannot be deleted now, or null. */
  inUse: PhotosInUse | null;
}

export interface PrivacyCustomer {
  id: string;
  email: string;
  name: string | null;
  createdAt: Date;
  orders: PrivacyCustomerOrder[];
  /** Emails we wrote to them or about their orders. */
  emails: number;
  /** Why erasing them must wait (an order still being paid for or restored), or null when it may go ahead. */
  erasureBlockedBy: string | null;
}

/** The (not erased) customer with this email, or a NOT_FOUND that says how to look. */
export async function requireCustomerByEmail(
  db: Kysely<Database>,
  email: string,
  options: { forUpdate?: boolean } = {},
): Promise<Customer> {
  let query = db
    .selectFrom('customers')
    .selectAll()
    .where('email_normalized', '=', normalizeEmail(email))
    .where('erased_at', 'is', null);
  if (options.forUpdate) query = query.forUpdate();
  const customer = await query.executeTakeFirst();
  if (!customer) {
    throw new AppError(
      'NOT_FOUND',
      `No customer has the email ${email.trim()}. Check the spelling; a customer already erased cannot be found by their old email.`,
    );
  }
  return customer;
}

/** A sentence naming the orders that hold an erasure up, or null when none does. */
export function describeOrdersInUse(orders: readonly PrivacyCustomerOrder[]): string | null {
  const waiting = orders.filter((order) => order.inUse === 'awaiting_payment');
  const restoring = orders.filter((order) => order.inUse === 'restoring');
  const parts = [
    waiting.length > 0 &&
      `${waiting.map((order) => order.orderNumber).join(', ')} ${waiting.length === 1 ? 'waits' : 'wait'} for payment (cancel ${waiting.length === 1 ? 'it' : 'them'} first)`,
    restoring.length > 0 &&
      `${restoring.map((order) => order.orderNumber).join(', ')} ${restoring.length === 1 ? 'is' : 'are'} still being restored (wait until ${restoring.length === 1 ? 'it finishes' : 'they finish'}, or refund ${restoring.length === 1 ? 'it' : 'them'})`,
  ].filter((part): part is string => Boolean(part));
  return parts.length > 0 ? `Order ${parts.join('; order ')}.` : null;
}

export async function loadCustomerOrders(
  db: Kysely<Database>,
  customerId: string,
): Promise<PrivacyCustomerOrder[]> {
  const orders = await db
    .selectFrom('orders')
    .select(['id', 'order_number', 'status', 'created_at', 'total_amount', 'currency'])
    .where('customer_id', '=', customerId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const images = orders.length
    ? await db
        .selectFrom('order_images')
        .select(['order_id', 'status', 'purged_at'])
        .where(
          'order_id',
          'in',
          orders.map((order) => order.id),
        )
        .execute()
    : [];
  return orders.map((order) => {
    const own = images.filter((image) => image.order_id === order.id);
    return {
      id: order.id,
      orderNumber: order.order_number,
      status: order.status,
      createdAt: order.created_at,
      totalAmount: order.total_amount,
      currency: order.currency,
      photos: own.length,
      photosWithFiles: own.filter((image) => image.purged_at === null).length,
      inUse:
        photosInUse(
          order,
          own.map((image) => image.status),
        ) ?? null,
    };
  });
}

export async function findCustomerForPrivacy(
  db: Kysely<Database>,
  input: { email: string },
): Promise<PrivacyCustomer> {
  const customer = await requireCustomerByEmail(db, input.email);
  const orders = await loadCustomerOrders(db, customer.id);
  const emails = await db
    .selectFrom('email_messages')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where((eb) =>
      eb.or([
        eb('customer_id', '=', customer.id),
        ...(orders.length
          ? [
              eb(
                'order_id',
                'in',
                orders.map((order) => order.id),
              ),
            ]
          : []),
      ]),
    )
    .executeTakeFirstOrThrow();
  return {
    id: customer.id,
    email: customer.email,
    name: customer.name,
    createdAt: customer.created_at,
    orders,
    emails: Number(emails.count),
    erasureBlockedBy: describeOrdersInUse(orders),
  };
}
