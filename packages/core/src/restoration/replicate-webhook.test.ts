/** Replicate webhook verification: what passes, and every way a forged or stale delivery is refused. */
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WebhookVerificationError } from '../payments/payment-provider';
import { verifyReplicateWebhook } from './replicate-webhook';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const NOW = new Date('2026-11-23T12:00:00Z');
const NOW_SECONDS = String(Math.floor(NOW.getTime() / 1000));

function predictionBody(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: 'ufawqhfynnddngldkgtslldrkq',
    model: 'acme/restore',
    version: 'hidden',
    input: { image: 'http://photos.test/1.png' },
    status: 'succeeded',
    output: ['http://files.test/ufawqhfynnddngldkgtslldrkq/output.png'],
    error: null,
    logs: '',
    metrics: { predict_time: 1.25 },
    created_at: '2026-11-23T11:59:50.000Z',
    started_at: '2026-11-23T11:59:51.000Z',
    completed_at: '2026-11-23T11:59:53.000Z',
    urls: { get: 'http://replicate.test/v1/predictions/x', cancel: 'http://replicate.test/v1/x' },
    ...overrides,
  });
}

/** Signs as Replicate does, independently of the code under test. */
function sign(body: string, options: { id?: string; timestamp?: string; secret?: string } = {}) {
  const id = options.id ?? 'msg_2fA9x';
  const timestamp = options.timestamp ?? NOW_SECONDS;
  const key = Buffer.from((options.secret ?? SECRET).slice('whsec_'.length), 'base64');
  const digest = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { id, timestamp, signature: `v1,${digest}` };
}

function verify(body: string | Buffer, headers: ReturnType<typeof sign>) {
  return verifyReplicateWebhook({ headers, rawBody: body, secret: SECRET, now: NOW });
}

describe('verifyReplicateWebhook', () => {
  it('accepts a correctly signed delivery and reads the prediction it carries', () => {
    const body = predictionBody();
    const result = verify(body, sign(body));

    expect(result.webhookId).toBe('msg_2fA9x');
    expect(result.prediction).toEqual({
      id: 'ufawqhfynnddngldkgtslldrkq',
      status: 'succeeded',
      outputUrl: 'http://files.test/ufawqhfynnddngldkgtslldrkq/output.png',
      error: null,
      predictSeconds: 1.25,
      createdAt: new Date('2026-11-23T11:59:50.000Z'),
      completedAt: new Date('2026-11-23T11:59:53.000Z'),
    });
  });

  it('accepts the raw body as a Buffer', () => {
    const body = predictionBody({ output: 'http://files.test/single.png' });
    const result = verify(Buffer.from(body, 'utf8'), sign(body));
    expect(result.prediction.outputUrl).toBe('http://files.test/single.png');
  });

  it('refuses a delivery signed with another secret', () => {
    const body = predictionBody();
    const otherSecret = `whsec_${randomBytes(24).toString('base64')}`;
    expect(() => verify(body, sign(body, { secret: otherSecret }))).toThrow(
      /No webhook-signature matches/,
    );
  });

  it('refuses a timestamp older or newer than the tolerance', () => {
    const body = predictionBody();
    const stale = String(Number(NOW_SECONDS) - 301);
    const future = String(Number(NOW_SECONDS) + 301);
    expect(() => verify(body, sign(body, { timestamp: stale }))).toThrow(/301 s away from now/);
    expect(() => verify(body, sign(body, { timestamp: future }))).toThrow(WebhookVerificationError);
    const withinTolerance = String(Number(NOW_SECONDS) - 299);
    expect(verify(body, sign(body, { timestamp: withinTolerance })).webhookId).toBe('msg_2fA9x');
  });

  it('refuses a body changed after signing', () => {
    const body = predictionBody();
    const tampered = body.replace('"succeeded"', '"failed"');
    expect(() => verify(tampered, sign(body))).toThrow(WebhookVerificationError);
  });

  it('refuses a signature moved to another webhook-id', () => {
    const body = predictionBody();
    const signed = sign(body);
    expect(() => verify(body, { ...signed, id: 'msg_other' })).toThrow(/No webhook-signature/);
  });

  it('accepts a header with several signatures when any one matches', () => {
    const body = predictionBody();
    const valid = sign(body).signature;
    const rotated = sign(body, { secret: `whsec_${randomBytes(24).toString('base64')}` }).signature;
    const headers = {
      ...sign(body),
      signature: `${rotated} v1a,c29tZXRoaW5nIGVsc2U= ${valid} v1,bm90LWEtc2lnbmF0dXJl`,
    };
    expect(verify(body, headers).prediction.status).toBe('succeeded');
  });

  it('refuses a header with only signatures of other schemes', () => {
    const body = predictionBody();
    expect(() => verify(body, { ...sign(body), signature: 'v1a,c29tZXRoaW5nIGVsc2U=' })).toThrow(
      /no v1 signature/,
    );
  });

  it('refuses a delivery with a header missing', () => {
    const body = predictionBody();
    const signed = sign(body);
    for (const [header, headers] of [
      ['webhook-id', { ...signed, id: undefined }],
      ['webhook-timestamp', { ...signed, timestamp: '' }],
      ['webhook-signature', { ...signed, signature: undefined }],
    ] as const) {
      expect(() =>
        verifyReplicateWebhook({ headers, rawBody: body, secret: SECRET, now: NOW }),
      ).toThrow(`The ${header} header is missing.`);
    }
  });

  it('refuses a correctly signed body that is not JSON', () => {
    const body = 'this is not { json';
    expect(() => verify(body, sign(body))).toThrow(/not JSON/);
  });

  it('refuses a correctly signed body that is not a prediction', () => {
    const body = JSON.stringify({ id: 'x', status: 'exploded' });
    expect(() => verify(body, sign(body))).toThrow(/not a Replicate prediction/);
  });

  it('refuses to verify with a secret that is not a whsec_ key', () => {
    const body = predictionBody();
    expect(() =>
      verifyReplicateWebhook({ headers: sign(body), rawBody: body, secret: 'sk_live', now: NOW }),
    ).toThrow(/not a whsec_/);
  });
});
