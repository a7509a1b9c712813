/**
 * An admin erases a customer (a right-to-erasure request): every photo of every order deleted, their name,
 * email and billing address replaced by a tombstone on the customer and each order, the emails' rendered bodies
 * and recipients cleared (unsent ones cancelled), personal words scrubbed from the order timelines, access and
 * download links revoked. Orders stay for accounting, with their amounts and statuses. One transaction writes
 * all of it with a `customer.erased` event per order and the audit row (who, when); the objects go right after.
 */
import { sql } from 'kysely';
import type { Database, EmailStatus, Kysely } from '@restoreclick/db';
import { type AdminActor, adminActorOf, recordAudit } from '../admin/audit-log';
import { AppError } from '../errors/app-error';
import { recordOrderEvent } from '../orders/order-events';
import { generateToken, hashToken } from '../security/tokens';
import type { ObjectStore } from '../storage/object-store';
import { describeOrdersInUse, loadCustomerOrders, requireCustomerByEmail } from './find-customer';
import {
  ERASED_NAME,
  erasedEmailFor,
  erasedFilename,
  withoutPersonalData,
} from './personal-fields';
import { deleteMarkedFiles, markFilesDeleted, sweepOrderFolders } from './photo-files';

export interface CustomerErasureDeps {
  storage: ObjectStore;
  now?: () => Date;
}

export interface CustomerErased {
  customerId: string;
  erasedAt: Date;
  orders: Array<{ id: string; orderNumber: string }>;
  /** Photos whose files were deleted by the erasure (some may have gone before, by retention). */
  photosDeleted: number;
  emailsCleared: number;
  /** Objects deleted from the bucket. */
  objectsDeleted: number;
}

export async function eraseCustomer(
  db: Kysely<Database>,
  deps: CustomerErasureDeps,
  input: { email: string; admin: AdminActor; reason?: string | null },
): Promise<CustomerErased> {
  const now = deps.now?.() ?? new Date();
  const erased = await db.transaction().execute(async (trx) => {
    const customer = await requireCustomerByEmail(trx, input.email, { forUpdate: true });
    const summary = await loadCustomerOrders(trx, customer.id);
    const blocked = describeOrdersInUse(summary);
    if (blocked) {
      throw new AppError('CONFLICT', `${blocked} Then erase the customer.`, {
        orders: summary.filter((order) => order.inUse).map((order) => order.orderNumber),
      });
    }
    const orderIds = summary.map((order) => order.id);
    const tombstone = erasedEmailFor(customer.id);
    const orders = orderIds.length
      ? await trx
          .selectFrom('orders')
          .select([
            'id',
            'order_number',
            'upload_session_id',
            'stripe_checkout_session_id',
            'stripe_payment_intent_id',
          ])
          .where('id', 'in', orderIds)
          .forUpdate()
          .execute()
      : [];

    let photosDeleted = 0;
    for (const order of orders) {
      const images = await trx
        .selectFrom('order_images')
        .selectAll()
        .where('order_id', '=', order.id)
        .forUpdate()
        .execute();
      let photos = 0;
      for (const image of images) {
        if (await markFilesDeleted(trx, image, ['original', 'restored'], now)) photos += 1;
        await trx
          .updateTable('order_images')
          .set({ original_filename: erasedFilename(image.position, image.original_filename) })
          .where('id', '=', image.id)
          .execute();
      }
      photosDeleted += photos;
      const links = await trx
        .updateTable('download_links')
        .set({ revoked_at: now })
        .where('order_id', '=', order.id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      await trx
        .updateTable('order_access_tokens')
        .set({ revoked_at: now })
        .where('order_id', '=', order.id)
        .where('revoked_at', 'is', null)
        .execute();
      await trx
        .updateTable('orders')
        .set({
          customer_email: tombstone,
          customer_name: ERASED_NAME,
          billing_address: null,
          checkout_url: null,
          // Nobody holds a token for the new hash: the order's own link stops working too.
          access_token_hash: hashToken(generateToken()),
        })
        .where('id', '=', order.id)
        .execute();
      const stripeIds = [order.stripe_checkout_session_id, order.stripe_payment_intent_id].filter(
        (id): id is string => Boolean(id),
      );
      for (const stripeId of stripeIds) {
        // The processed webhook payloads that carried their email and address (kept only for deduplication).
        await trx
          .deleteFrom('stripe_events')
          .where('status', 'in', ['processed', 'ignored'])
          .where(sql<boolean>`position(${stripeId} in payload::text) > 0`)
          .execute();
      }
      await recordOrderEvent(trx, {
        orderId: order.id,
        type: 'customer.erased',
        actor: adminActorOf(input.admin),
        data: { photos, linksRevoked: Number(links.numUpdatedRows) },
      });
    }

    if (orderIds.length) {
      const events = await trx
        .selectFrom('order_events')
        .select(['id', 'data'])
        .where('order_id', 'in', orderIds)
        .execute();
      for (const event of events) {
        const scrubbed = withoutPersonalData(event.data);
        if (scrubbed === event.data) continue;
        await trx
          .updateTable('order_events')
          .set({ data: JSON.stringify(scrubbed) })
          .where('id', '=', event.id)
          .execute();
      }
      await trx.deleteFrom('notifications').where('order_id', 'in', orderIds).execute();
    }
    const emails = await trx
      .updateTable('email_messages')
      .set({
        to_address: tombstone,
        html: null,
        text: null,
        data: JSON.stringify({ erased: true }),
        status: sql<EmailStatus>`case when status in ('queued', 'sending') then 'cancelled' else status end`,
      })
      .where((eb) =>
        eb.or([
          eb('customer_id', '=', customer.id),
          ...(orderIds.length ? [eb('order_id', 'in', orderIds)] : []),
        ]),
      )
      .executeTakeFirst();
    const uploadSessionIds = orders
      .map((order) => order.upload_session_id)
      .filter((id): id is string => id !== null);
    if (uploadSessionIds.length) {
      // Their uploads' rows (names, checksums) go with them; the files are swept below.
      await trx.deleteFrom('upload_sessions').where('id', 'in', uploadSessionIds).execute();
    }
    await trx
      .updateTable('customers')
      .set({ email: tombstone, email_normalized: tombstone, name: ERASED_NAME, erased_at: now })
      .where('id', '=', customer.id)
      .execute();
    await recordAudit(trx, {
      adminUserId: input.admin.id,
      action: 'customer.erase',
      entityType: 'customer',
      entityId: customer.id,
      before: {
        orders: orders.length,
        photos: summary.reduce((sum, order) => sum + order.photos, 0),
        photosWithFiles: summary.reduce((sum, order) => sum + order.photosWithFiles, 0),
      },
      after: {
        erasedAt: now.toISOString(),
        orderNumbers: orders.map((order) => order.order_number),
        photosDeleted,
        emailsCleared: Number(emails.numUpdatedRows),
        ...(input.reason ? { reason: input.reason } : {}),
      },
      ip: input.admin.ip,
    });
    return {
      customerId: customer.id,
      orders,
      photosDeleted,
      emailsCleared: Number(emails.numUpdatedRows),
    };
  });

  const deleted = await deleteMarkedFiles(db, deps.storage, {
    orderIds: erased.orders.map((order) => order.id),
  });
  let objectsDeleted = deleted.objects;
  for (const order of erased.orders) {
    objectsDeleted += await sweepOrderFolders(deps.storage, {
      id: order.id,
      uploadSessionId: order.upload_session_id,
    });
  }
  return {
    customerId: erased.customerId,
    erasedAt: now,
    orders: erased.orders.map((order) => ({ id: order.id, orderNumber: order.order_number })),
    photosDeleted: erased.photosDeleted,
    emailsCleared: erased.emailsCleared,
    objectsDeleted,
  };
}
