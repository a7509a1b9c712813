/**
 * Who may call what on the admin endpoint, read from the router itself so a procedure added without a guard
 * fails here: nothing but sign-in works without a session, viewers read but change nothing, mutations come
 * only from the dashboard's origin. And password guessing: an account locks after ten wrong passwords, an
 * address after too many failures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_ORIGIN,
  type AdminApi,
  adminClient,
  createAdminUser,
  seedOrders,
  signedInClient,
  signIn,
  startAdminApi,
} from '../test/admin';
import { adminRouter } from './trpc/admin/index';

/** Procedures anyone may call: signing in and out, asking who is signed in, and the health check. */
const PUBLIC_PROCEDURES = ['auth.login', 'auth.logout', 'auth.me', 'health'];

type ProcedureType = 'query' | 'mutation' | 'subscription';

function adminProcedures(): Array<{ path: string; type: ProcedureType }> {
  // At run time `_def.procedures` is flat, keyed by dotted path (its type mirrors the nested router).
  const procedures = adminRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: ProcedureType } }
  >;
  return Object.entries(procedures).map(([path, procedure]) => ({
    path,
    type: procedure._def.type,
  }));
}

describe('admin endpoint access', () => {
  let api: AdminApi;
  let orderId: string;
  let emailMessageId: string;
  /** A valid input for every guarded procedure, so a refusal can only come from the guard. */
  let inputs: Record<string, unknown>;

  beforeAll(async () => {
    api = await startAdminApi();
    const [order] = await seedOrders(api.testDb.db, [
      { status: 'completed_with_errors', createdAt: new Date(), photos: 2, failedPhotos: 1 },
    ]);
    orderId = order?.id ?? '';
    const email = await api.testDb.db
      .insertInto('email_messages')
      .values({
        order_id: orderId,
        kind: 'order_confirmation',
        to_address: 'ada@example.com',
        template: 'order-confirmation',
        idempotency_key: `access-test:${orderId}`,
        status: 'sent',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    emailMessageId = email.id;
    const { customer_email: customerEmail } = await api.testDb.db
      .selectFrom('orders')
      .select('customer_email')
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    inputs = {
      'orders.list': { limit: 10 },
      'orders.get': { id: orderId },
      'orders.changeStatus': { id: orderId, to: 'processing', note: 'checking the access rules' },
      'orders.retryRestoration': { id: orderId },
      'orders.resendEmail': { id: orderId, emailMessageId },
      'orders.refund': { id: orderId, amount: 100 },
      'orders.rerunFulfilment': { id: orderId },
      'orders.cancel': { id: orderId },
      'emails.list': {},
      'emails.get': { id: emailMessageId },
      'emails.resend': { id: emailMessageId },
      'operations.checks': undefined,
      'operations.queues': undefined,
      'operations.retryDeadLetters': { queue: 'email.send' },
      'operations.runReconciliation': {},
      'operations.runCleanup': {},
      'business.summary': { days: 7 },
      'recovery.automaticRefunds': { id: orderId },
      'recovery.cancelAutomaticRefund': { id: orderId, reason: 'checking the access rules' },
      'recovery.refundNow': { id: orderId },
      'privacy.findCustomer': { email: customerEmail },
      'privacy.exportCustomer': { email: customerEmail },
      'privacy.eraseCustomer': { email: customerEmail, reason: 'checking the access rules' },
    };
  });
  afterAll(async () => {
    await api?.stop();
  });

  function guarded() {
    const procedures = adminProcedures().filter(({ path }) => !PUBLIC_PROCEDURES.includes(path));
    const missing = procedures.filter(({ path }) => !(path in inputs)).map(({ path }) => path);
    // A new procedure must be listed with an input here, so the checks below cover it.
    expect(missing, 'procedures without a sample input in this test').toEqual([]);
    return procedures;
  }

  async function auditRows() {
    const row = await api.testDb.db
      .selectFrom('audit_logs')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', 'not like', 'auth.%')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('answers UNAUTHORIZED to every procedure but sign-in without a session', async () => {
    const anonymous = adminClient(api.apiUrl);
    const procedures = guarded();
    expect(procedures.length).toBeGreaterThanOrEqual(17);
    for (const { path, type } of procedures) {
      const result =
        type === 'mutation'
          ? await anonymous.mutate(path, inputs[path])
          : await anonymous.query(path, inputs[path]);
      expect(result.ok, path).toBe(false);
      if (!result.ok) {
        expect(result.error.data.code, path).toBe('UNAUTHORIZED');
        expect(result.error.message, path).toMatch(/sign in/i);
      }
    }
    expect(await anonymous.query('auth.me')).toEqual({ ok: true, data: { user: null } });
  });

  it('lets a viewer read everything and change nothing', async () => {
    const viewer = await signedInClient(api.apiUrl, api.testDb.db, 'viewer');
    const before = await auditRows();
    for (const { path, type } of guarded()) {
      if (type === 'mutation') {
        const result = await viewer.mutate(path, inputs[path]);
        expect(result.ok, path).toBe(false);
        if (!result.ok) expect(result.error.data.code, path).toBe('FORBIDDEN');
      } else {
        const result = await viewer.query(path, inputs[path]);
        expect(result, path).toMatchObject({ ok: true });
      }
    }
    expect(await auditRows()).toBe(before);
    const order = await api.testDb.db
      .selectFrom('orders')
      .select('status')
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    expect(order.status).toBe('completed_with_errors');
    expect(await viewer.get('auth.me')).toEqual({
      user: { id: viewer.user.id, email: viewer.user.email, name: null, role: 'viewer' },
    });
  });

  it('refuses every mutation from a foreign origin or without one, even for a signed-in admin', async () => {
    const admin = await signedInClient(api.apiUrl, api.testDb.db, 'admin');
    const before = await auditRows();
    const mutations = adminProcedures().filter(({ type }) => type === 'mutation');
    expect(mutations.map(({ path }) => path)).toContain('auth.login');
    for (const { path } of mutations) {
      for (const origin of ['https://evil.example', null]) {
        const result = await admin.mutate(path, inputs[path] ?? {}, { origin });
        expect(result.ok, `${path} from ${origin}`).toBe(false);
        if (!result.ok) {
          expect(result.error.data.code, `${path} from ${origin}`).toBe('FORBIDDEN');
          expect(result.error.message).toMatch(/only accepted from the admin dashboard/);
        }
      }
    }
    expect(await auditRows()).toBe(before);
    // The session survived the refused sign-out, and the dashboard's own origin still works.
    expect(await admin.get('auth.me')).toMatchObject({ user: { email: admin.user.email } });
    expect(await admin.run('operations.runCleanup')).toMatchObject({ jobId: expect.any(String) });
  });

  it('sets an httpOnly, SameSite=Strict session cookie on /admin, and ends the session on sign-out', async () => {
    const user = await createAdminUser(api.testDb.db, { role: 'admin' });
    const { response, cookie } = await signIn(api.apiUrl, user);
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^rc_admin_session=[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toContain('Path=/admin');
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).not.toContain('Secure'); // not in development and tests

    const client = adminClient(api.apiUrl, cookie);
    expect(await client.get('auth.me')).toMatchObject({ user: { email: user.email } });
    const stored = await api.testDb.db
      .selectFrom('admin_sessions')
      .select('token_hash')
      .where('admin_user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(cookie).not.toContain(stored.token_hash); // only the hash is stored

    const logout = await fetch(`${api.apiUrl}/admin/trpc/auth.logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ADMIN_ORIGIN, cookie: cookie ?? '' },
      body: '{}',
    });
    expect(logout.headers.get('set-cookie')).toMatch(/^rc_admin_session=; .*Max-Age=0/);
    expect(await client.get('auth.me')).toEqual({ user: null });
    expect((await client.query('orders.list', {})).ok).toBe(false);
  });

  it('locks an account after ten wrong passwords and refuses even the right one while locked', async () => {
    const user = await createAdminUser(api.testDb.db, { role: 'admin' });
    const wrong = { email: user.email, password: 'not the password at all' };
    for (let attempt = 1; attempt <= 9; attempt += 1) {
      const { body } = await signIn(api.apiUrl, wrong);
      expect(body.error?.data.code).toBe('UNAUTHORIZED');
      expect(body.error?.message).toBe('Email or password is wrong.');
    }
    const tenth = await signIn(api.apiUrl, wrong);
    expect(tenth.body.error?.data.code).toBe('TOO_MANY_REQUESTS');
    expect(tenth.body.error?.message).toBe('Too many failed sign-ins. Try again in 15 minutes.');

    const right = await signIn(api.apiUrl, user);
    expect(right.cookie).toBeNull();
    expect(right.body.error?.data.code).toBe('TOO_MANY_REQUESTS');
    expect(right.body.error?.message).toMatch(
      /^Too many failed sign-ins\. Try again in 1?\d minutes\.$/,
    );

    const lockout = await api.testDb.db
      .selectFrom('audit_logs')
      .selectAll()
      .where('action', '=', 'auth.locked_out')
      .where('entity_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(lockout.after).toMatchObject({ failedSignIns: 10 });

    // Once the lock has run out, the right password works again and the count starts over.
    await api.testDb.db
      .updateTable('admin_users')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('id', '=', user.id)
      .execute();
    const after = await signIn(api.apiUrl, user);
    expect(after.cookie).not.toBeNull();
    const row = await api.testDb.db
      .selectFrom('admin_users')
      .select(['failed_login_count', 'locked_until'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ failed_login_count: 0, locked_until: null });
  });

  it('answers an unknown email exactly as a wrong password', async () => {
    const { body } = await signIn(api.apiUrl, {
      email: 'nobody@example.com',
      password: 'whatever it is',
    });
    expect(body.error?.data.code).toBe('UNAUTHORIZED');
    expect(body.error?.message).toBe('Email or password is wrong.');
  });
});

describe('admin sign-in limit per address', () => {
  let api: AdminApi;

  beforeAll(async () => {
    api = await startAdminApi({ ADMIN_LOGIN_FAILURES_PER_IP: 3 });
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('refuses an address after its failures, whichever accounts they tried', async () => {
    const user = await createAdminUser(api.testDb.db, { role: 'admin' });
    for (const email of ['first@example.com', 'second@example.com', user.email]) {
      const { body } = await signIn(api.apiUrl, { email, password: 'guessing away here' });
      expect(body.error?.data.code).toBe('UNAUTHORIZED');
    }
    const right = await signIn(api.apiUrl, user);
    expect(right.cookie).toBeNull();
    expect(right.body.error?.data.code).toBe('TOO_MANY_REQUESTS');
    expect(right.body.error?.message).toMatch(
      /^Too many failed sign-ins\. Try again in \d+ minutes?\.$/,
    );
  });
});
