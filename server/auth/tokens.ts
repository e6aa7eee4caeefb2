import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;

/** 160 bits of randomness, base64url: session cookies, invitation and recovery links. */
export function randomToken(bytes = 20): string {
	return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(value: string): string {
	return createHash('sha256').update(value).digest('hex');
}

const SCRYPT = { N: 16_384, r: 8, p: 1 };

/** `salt:hash` for low-entropy secrets a person types (recovery codes). */
export async function hashSecret(secret: string): Promise<string> {
	const salt = randomBytes(16);
	const hash = await scrypt(secret, salt, 32, SCRYPT);
	return `${salt.toString('base64url')}:${hash.toString('base64url')}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
	const [salt, hash] = stored.split(':');
	if (!salt || !hash) return false;
	const expected = Buffer.from(hash, 'base64url');
	const actual = await scrypt(secret, Buffer.from(salt, 'base64url'), expected.length, SCRYPT);
	return actual.length === expected.length && timingSafeEqual(actual, expected);
}
