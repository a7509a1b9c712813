/**
 * Order access for customers: a bearer token of 256 random bits, stored only as a SHA-256 hash. The token
 * issued at checkout lives on the order; the success page and emails get tokens of their own.
 */
import type { AccessTokenPurpose, Database, Kysely, Order } from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import { generateToken, hashToken, looksLikeToken } from '../security/tokens';

export async function issueOrderAccessToken(
  db: Kysely<Database>,
  orderId: string,
  purpose: AccessTokenPurpose,
): Promise<string> {
  const token = generateToken();
  await db
    .insertInto('order_access_tokens')
    .values({ order_id: orderId, token_hash: hashToken(token), purpose })
    .execute();
  return token;
}

/** The order a token opens, or a NOT_FOUND error that does not say whether the order exists. */
export async function findOrderByAccessToken(db: Kysely<Database>, token: string): Promise<Order> {
  const notFound = () =>
    new AppError(
      'NOT_FOUND',
      'No order matches this link. Check that you copied the whole link from your email.',
    );
  if (!looksLikeToken(token)) throw notFound();
  const tokenHash = hashToken(token);
  const order =
    (await db
      .selectFrom('orders')
      .selectAll()
      .where('access_token_hash', '=', tokenHash)
      .executeTakeFirst()) ??
    (await db
      .selectFrom('order_access_tokens')
      .innerJoin('orders', 'orders.id', 'order_access_tokens.order_id')
      .selectAll('orders')
      .where('order_access_tokens.token_hash', '=', tokenHash)
      .where('order_access_tokens.revoked_at', 'is', null)
      .executeTakeFirst());
  if (!order) throw notFound();
  return order;
}
