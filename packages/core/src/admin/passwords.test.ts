import { describe, expect, it } from 'vitest';
import { describeWeakPassword, hashPassword, parsePasswordHash, verifyPassword } from './passwords';

// A low cost keeps the tests fast; the format and the checks are the same at any cost.
const FAST = { logCost: 10, blockSize: 8, parallelization: 1 };

describe('admin passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple', FAST);
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash, so the same password never hashes the same twice', async () => {
    const first = await hashPassword('the same password', FAST);
    const second = await hashPassword('the same password', FAST);
    expect(first).not.toBe(second);
    expect(await verifyPassword('the same password', first)).toBe(true);
    expect(await verifyPassword('the same password', second)).toBe(true);
  });

  it('writes its parameters into the hash and verifies with the ones it finds there', async () => {
    const stored = await hashPassword('parameters travel along', FAST);
    expect(stored).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(parsePasswordHash(stored)?.parameters).toEqual(FAST);

    const stronger = await hashPassword('parameters travel along', { ...FAST, logCost: 11 });
    expect(stronger).toContain('$ln=11,');
    expect(await verifyPassword('parameters travel along', stronger)).toBe(true);
  });

  it('uses the default cost (N = 2^15) when none is given', async () => {
    const stored = await hashPassword('default cost password');
    expect(stored.startsWith('$scrypt$ln=15,r=8,p=1$')).toBe(true);
    expect(await verifyPassword('default cost password', stored)).toBe(true);
  });

  it('treats the same text in different Unicode forms as the same password', async () => {
    const composed = 'caf\u00e9 au lait 2024';
    const decomposed = 'cafe\u0301 au lait 2024';
    const stored = await hashPassword(composed, FAST);
    expect(await verifyPassword(decomposed, stored)).toBe(true);
  });

  it('never matches a malformed or foreign stored hash', async () => {
    for (const stored of [
      '',
      'plain text',
      '$2b$10$abcdefghijklmnopqrstuv',
      '$scrypt$ln=15,r=8,p=1$c2FsdA$',
      '$scrypt$ln=40,r=8,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA',
    ]) {
      expect(parsePasswordHash(stored)).toBeUndefined();
      expect(await verifyPassword('anything at all', stored)).toBe(false);
    }
  });

  it('asks for at least 12 characters', () => {
    expect(describeWeakPassword('short')).toMatch(/at least 12 characters/);
    expect(describeWeakPassword('twelve chars')).toBeUndefined();
  });
});
