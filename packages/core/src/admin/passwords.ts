/**
 * Admin passwords with node:crypto's scrypt: a random salt per password, the cost parameters written into the
 * stored string (so they can be raised later without breaking old hashes), and a timing-safe comparison.
 * Stored as `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (base64, no padding), after the PHC string format.
 */
import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';

export interface ScryptParameters {
  /** log2 of the CPU/memory cost N. */
  logCost: number;
  blockSize: number;
  parallelization: number;
}

/** About 32 MiB and a few tens of milliseconds per hash: OWASP's floor for scrypt is N=2^15, r=8. */
export const DEFAULT_SCRYPT_PARAMETERS: ScryptParameters = {
  logCost: 15,
  blockSize: 8,
  parallelization: 1,
};

export const MIN_ADMIN_PASSWORD_LENGTH = 12;
export const MAX_ADMIN_PASSWORD_LENGTH = 1024;

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const FORMAT =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function derive(password: string, salt: Buffer, keyLength: number, parameters: ScryptParameters) {
  const cost = 2 ** parameters.logCost;
  const options: ScryptOptions = {
    N: cost,
    r: parameters.blockSize,
    p: parameters.parallelization,
    // scrypt needs 128·N·r bytes; Node refuses anything above maxmem (32 MiB by default).
    maxmem: 256 * cost * parameters.blockSize,
  };
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

const base64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

export async function hashPassword(
  password: string,
  parameters: ScryptParameters = DEFAULT_SCRYPT_PARAMETERS,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, parameters);
  const { logCost, blockSize, parallelization } = parameters;
  return `$scrypt$ln=${logCost},r=${blockSize},p=${parallelization}$${base64(salt)}$${base64(key)}`;
}

/** Parses a stored hash; undefined when it is not one of ours (or its parameters are out of range). */
export function parsePasswordHash(
  stored: string,
): { parameters: ScryptParameters; salt: Buffer; key: Buffer } | undefined {
  const match = FORMAT.exec(stored);
  if (!match) return undefined;
  const [, logCost, blockSize, parallelization, salt, key] = match;
  const parameters = {
    logCost: Number(logCost),
    blockSize: Number(blockSize),
    parallelization: Number(parallelization),
  };
  if (parameters.logCost < 10 || parameters.logCost > 20) return undefined;
  if (parameters.blockSize < 1 || parameters.parallelization < 1) return undefined;
  const keyBytes = Buffer.from(key ?? '', 'base64');
  if (keyBytes.length < 16) return undefined;
  return { parameters, salt: Buffer.from(salt ?? '', 'base64'), key: keyBytes };
}

/** True when `password` matches `stored`. A malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.key.length, parsed.parameters);
  return timingSafeEqual(key, parsed.key);
}

/**
 * Spends the time of one verification without a stored hash, so an unknown email takes as long to refuse
 * as a wrong password and response times do not tell which addresses have accounts.
 */
export async function spendPasswordCheckTime(password: string): Promise<void> {
  await derive(password, Buffer.alloc(SALT_BYTES), KEY_BYTES, DEFAULT_SCRYPT_PARAMETERS);
}

/** Why a new password is not acceptable, or undefined when it is. */
export function describeWeakPassword(password: string): string | undefined {
  if (password.length < MIN_ADMIN_PASSWORD_LENGTH) {
    return `The password must have at least ${MIN_ADMIN_PASSWORD_LENGTH} characters.`;
  }
  if (password.length > MAX_ADMIN_PASSWORD_LENGTH) {
    return `The password must have at most ${MAX_ADMIN_PASSWORD_LENGTH} characters.`;
  }
  return undefined;
}
