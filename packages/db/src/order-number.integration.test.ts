import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@restoreclick/devkit/testing';

describe('order numbers', () => {
  let testDb: TestDatabase;
  let customerId: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const customer = await testDb.db
      .insertInto('customers')
      .values({ email: 'Ada@Example.com', email_normalized: 'ada@example.com', name: 'Ada' })
      .returning('id')
      .executeTakeFirstOrThrow();
    customerId = customer.id;
  });
  afterAll(async () => {
    await testDb?.destroy();
  });

  function insertOrder(createdAt: string) {
    return testDb.db
      .insertInto('orders')
      .values({
        customer_id: customerId,
        currency: 'usd',
        unit_amount: 500,
        subtotal_amount: 500,
        total_amount: 500,
        access_token_hash: randomUUID(),
        created_at: createdAt,
      })
      .returning(['order_number'])
      .executeTakeFirstOrThrow();
  }

  it('gives 200 concurrent orders on one day 200 distinct consecutive numbers', async () => {
    const orders = await Promise.all(
      Array.from({ length: 200 }, () => insertOrder('2026-03-14T12:00:00Z')),
    );

    const numbers = orders.map((order) => order.order_number).sort();
    expect(new Set(numbers).size).toBe(200);
    expect(numbers[0]).toBe('20260314-000001');
    expect(numbers[199]).toBe('20260314-000200');
    expect(numbers).toEqual(
      Array.from({ length: 200 }, (_, index) => `20260314-${String(index + 1).padStart(6, '0')}`),
    );
  });

  it('starts again at 000001 on the next UTC day', async () => {
    const order = await insertOrder('2026-03-15T00:00:01Z');
    expect(order.order_number).toBe('20260315-000001');
  });

  it('rejects a status outside the state machine', async () => {
    await expect(
      testDb.db
        .insertInto('orders')
        .values({
          customer_id: customerId,
          currency: 'usd',
          unit_amount: 1,
          subtotal_amount: 1,
          total_amount: 1,
          access_token_hash: randomUUID(),
          status: 'shipped' as never,
        })
        .execute(),
    ).rejects.toThrow(/orders_status_check/);
  });
});
