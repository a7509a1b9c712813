/**
 * The storefront's authorization matrix, read from the router so a new procedure cannot skip it: every
 * procedure is called by a customer holding another order's token (or upload session), aimed at this order's
 * photos, notifications and uploads wherever its input can name them. Each call is refused with NOT_FOUND or
 * acts on the caller's own order only, and nothing of the other order is shown or changed. (An unknown token is
 * covered per procedure by customer-orders.integration.test.ts; the admin side's matrix — no session, viewer —
 * is admin-access.integration.test.ts, which `pnpm test:chaos` runs too.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storefrontRouter } from '../../src/trpc/storefront/index';
import { samplePhoto } from '../full-stack';
import { callProcedure, readEvents } from '../wire';
import {
  type ChaosSystem,
  type PlacedOrder,
  startChaosSystem,
  uploadToNewSession,
  waitForEmailsSent,
  waitForOrders,
} from './chaos-system';
import { recordFigures } from './figures';

type ProcedureType = 'query' | 'mutation' | 'subscription';

interface Victim {
  order: PlacedOrder;
  orderNumber: string;
  imageIds: string[];
  notificationIds: string[];
  /** A photo of a session not checked out yet, and its session. */
  pendingUpload: { uploadSessionId: string; uploadId: string };
  files: string[];
}

interface Attack {
  /** What the call asks for, as the other customer. */
  input: (victim: Victim, attacker: PlacedOrder & { pendingSessionId: string }) => unknown;
  /** `refused`: answered NOT_FOUND; `own`: served, but about the caller's own things only. */
  expect: 'refused' | 'own' | 'public';
  /** Checked after the call, beyond "nothing of the victim in the answer, nothing of the victim changed". */
  check?: (answer: string) => void;
}

function storefrontProcedures(): Array<{ path: string; type: ProcedureType }> {
  // At run time `_def.procedures` is flat, keyed by dotted path.
  const procedures = storefrontRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: ProcedureType } }
  >;
  return Object.entries(procedures).map(([path, procedure]) => ({
    path,
    type: procedure._def.type,
  }));
}

/** Every storefront procedure, with how another customer would try to reach this order through it. */
const ATTACKS: Record<string, Attack> = {
  health: { input: () => undefined, expect: 'public' },
  'uploads.createSession': { input: () => undefined, expect: 'public' },
  'uploads.list': {
    input: (_victim, attacker) => ({ uploadSessionId: attacker.pendingSessionId }),
    expect: 'own',
  },
  'uploads.remove': {
    input: (victim, attacker) => ({
      uploadSessionId: attacker.pendingSessionId,
      uploadId: victim.pendingUpload.uploadId,
    }),
    expect: 'refused',
  },
  'checkout.create': {
    // Checking out names photos by their upload session only: a customer reaches their own.
    input: (_victim, attacker) => ({
      uploadSessionId: attacker.pendingSessionId,
      email: 'mallory@example.net',
      name: 'Mallory',
    }),
    expect: 'own',
  },
  'orders.confirmCheckout': {
    input: (_victim, attacker) => ({ sessionId: attacker.checkoutSessionId }),
    expect: 'own',
  },
  'orders.get': { input: (_victim, attacker) => ({ token: attacker.accessToken }), expect: 'own' },
  'orders.watch': {
    input: (_victim, attacker) => ({ token: attacker.accessToken }),
    expect: 'own',
  },
  'orders.share': {
    input: (_victim, attacker) => ({ token: attacker.accessToken, to: 'friend@example.net' }),
    expect: 'own',
  },
  'orders.resendEmail': {
    input: (_victim, attacker) => ({
      token: attacker.accessToken,
      kind: 'restoration_complete',
    }),
    expect: 'own',
  },
  'downloads.create': {
    input: (victim, attacker) => ({
      token: attacker.accessToken,
      kind: 'all',
      imageIds: victim.imageIds,
    }),
    expect: 'refused',
  },
  'notifications.list': {
    input: (_victim, attacker) => ({ token: attacker.accessToken }),
    expect: 'own',
  },
  'notifications.markRead': {
    input: (victim, attacker) => ({ token: attacker.accessToken, ids: victim.notificationIds }),
    expect: 'own',
    check: (answer) => expect(answer).toContain('"marked":0'),
  },
  // Last: it deletes the caller's own photos.
  'orders.deletePhotos': {
    input: (_victim, attacker) => ({ token: attacker.accessToken }),
    expect: 'own',
  },
};

describe('storefront authorization: another order’s token', () => {
  let system: ChaosSystem;
  let victim: Victim;
  let attacker: PlacedOrder & { pendingSessionId: string };
  const outcomes: Record<string, string> = {};

  async function pendingUpload(email: string) {
    const placed = await system.placeOrder({ photos: 1, email });
    // A second session, not checked out: its photo can still be removed.
    const { uploadSessionId, response } = await uploadToNewSession(system.apiUrl, [
      { name: 'p.jpg', photo: await samplePhoto(2) },
    ]);
    const body = (await response.json()) as { uploaded: Array<{ id: string }> };
    return {
      placed,
      uploadSessionId,
      uploadId: body.uploaded[0]?.id ?? '',
    };
  }

  /** Everything of the victim's that a call could show or change. */
  async function victimState() {
    const { db } = system;
    const order = await db
      .selectFrom('orders')
      .select(['status', 'access_token_hash', 'checkout_url'])
      .where('id', '=', victim.order.orderId)
      .executeTakeFirstOrThrow();
    const images = await db
      .selectFrom('order_images')
      .select(['id', 'status', 'original_key', 'restored_key', 'purged_at'])
      .where('order_id', '=', victim.order.orderId)
      .orderBy('id')
      .execute();
    const notifications = await db
      .selectFrom('notifications')
      .select(['id', 'read_at'])
      .where('order_id', '=', victim.order.orderId)
      .orderBy('id')
      .execute();
    const emails = await db
      .selectFrom('email_messages')
      .select('id')
      .where('order_id', '=', victim.order.orderId)
      .execute();
    const links = await db
      .selectFrom('download_links')
      .select('id')
      .where('order_id', '=', victim.order.orderId)
      .execute();
    const uploads = await db
      .selectFrom('uploads')
      .select('id')
      .where('upload_session_id', '=', victim.pendingUpload.uploadSessionId)
      .execute();
    const files = await Promise.all(
      victim.files.map(async (key) => (await system.store.head(key)) !== undefined),
    );
    return {
      order,
      images,
      notifications,
      emails: emails.length,
      links: links.length,
      uploads,
      files,
    };
  }

  beforeAll(async () => {
    system = await startChaosSystem();
    const ofVictim = await pendingUpload('victim@example.com');
    const ofAttacker = await pendingUpload('mallory@example.net');
    system.pay(ofVictim.placed);
    system.pay(ofAttacker.placed);
    const orderIds = [ofVictim.placed.orderId, ofAttacker.placed.orderId];
    await waitForOrders(system, orderIds, ['completed'], 120_000);
    await waitForEmailsSent(system, orderIds, 60_000);

    const { db } = system;
    const order = await db
      .selectFrom('orders')
      .select('order_number')
      .where('id', '=', ofVictim.placed.orderId)
      .executeTakeFirstOrThrow();
    const images = await db
      .selectFrom('order_images')
      .select(['id', 'original_key', 'restored_key', 'thumbnail_key'])
      .where('order_id', '=', ofVictim.placed.orderId)
      .execute();
    const notifications = await db
      .selectFrom('notifications')
      .select('id')
      .where('order_id', '=', ofVictim.placed.orderId)
      .execute();
    victim = {
      order: ofVictim.placed,
      orderNumber: order.order_number,
      imageIds: images.map((image) => image.id),
      notificationIds: notifications.map((notification) => notification.id),
      pendingUpload: { uploadSessionId: ofVictim.uploadSessionId, uploadId: ofVictim.uploadId },
      files: images.flatMap((image) =>
        [image.original_key, image.restored_key, image.thumbnail_key].filter(
          (key): key is string => key !== null,
        ),
      ),
    };
    attacker = { ...ofAttacker.placed, pendingSessionId: ofAttacker.uploadSessionId };
    expect(victim.notificationIds.length).toBeGreaterThan(0);
    system.addSecret('victim access token', victim.order.accessToken);
    system.addSecret('attacker access token', attacker.accessToken);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('lists every storefront procedure in the matrix', () => {
    const routed = storefrontProcedures().map(({ path }) => path);
    // A new procedure must be given its attack here, so it cannot go unchecked.
    expect(routed.filter((path) => !(path in ATTACKS))).toEqual([]);
    expect(Object.keys(ATTACKS).filter((path) => !routed.includes(path))).toEqual([]);
  });

  it('never shows or changes another order through any procedure', async () => {
    const victimMarks = [
      victim.order.orderId,
      victim.orderNumber,
      victim.order.accessToken,
      'victim@example.com',
      ...victim.imageIds,
      ...victim.notificationIds,
      victim.pendingUpload.uploadId,
    ];
    const procedures = storefrontProcedures().sort(
      (a, b) => Number(a.path === 'orders.deletePhotos') - Number(b.path === 'orders.deletePhotos'),
    );
    for (const { path, type } of procedures) {
      const attack = ATTACKS[path];
      if (!attack) throw new Error(`no attack for ${path}`);
      const before = await victimState();
      const input = attack.input(victim, attacker);
      let answer: string;
      if (type === 'subscription') {
        const events = await readEvents(
          `${system.apiUrl}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`,
          (seen) => seen.some((event) => event.data.includes(attacker.orderId)),
          { timeoutMs: 10_000 },
        );
        answer = events.map((event) => event.data).join('\n');
        expect(answer, path).toContain(attacker.orderId);
      } else {
        const result = await callProcedure(system.apiUrl, path, input, type);
        answer = JSON.stringify(result);
        if (attack.expect === 'refused') {
          expect(result, path).toMatchObject({ ok: false, error: { data: { code: 'NOT_FOUND' } } });
        } else if (attack.expect === 'own' && !attack.check) {
          expect(result, `${path}: ${answer.slice(0, 300)}`).toMatchObject({ ok: true });
        }
      }
      attack.check?.(answer);
      for (const mark of victimMarks) {
        expect(answer, `${path} shows the other order's ${mark}`).not.toContain(mark);
      }
      expect(await victimState(), `${path} changed the other order`).toEqual(before);
      outcomes[path] = attack.expect === 'refused' ? 'NOT_FOUND' : attack.expect;
    }
  });

  it('writes no token or secret to the logs', async () => {
    expect(system.leakedSecrets()).toEqual([]);
    await recordFigures('storefront-access', {
      procedures: Object.keys(outcomes).length,
      outcomes,
    });
  });
});
