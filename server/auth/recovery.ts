import { randomInt } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client';
import { recoveryCodes } from '../../db/schema/index';
import { hashSecret, verifySecret } from './tokens';

export const RECOVERY_CODE_COUNT = 10;
// No 0/O/1/I/L: codes are read off paper and typed by hand.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** `XXXXX-XXXXX`: 50 bits each, plenty for a one-time code behind a rate limit and scrypt. */
export function newRecoveryCode(): string {
	const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]);
	return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

export function normaliseRecoveryCode(input: string): string {
	const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
	return compact.length === 10 ? `${compact.slice(0, 5)}-${compact.slice(5)}` : compact;
}

/** Replaces every code of the user (old ones die) and returns the new ones, shown once. */
export async function regenerateRecoveryCodes(db: Database, userId: string): Promise<string[]> {
	const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
	const hashes = await Promise.all(codes.map(hashSecret));
	await db.transaction(async (tx) => {
		await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
		await tx.insert(recoveryCodes).values(hashes.map((codeHash) => ({ userId, codeHash })));
	});
	return codes;
}

export async function unusedRecoveryCodeCount(db: Executor, userId: string): Promise<number> {
	const rows = await db
		.select({ id: recoveryCodes.id })
		.from(recoveryCodes)
		.where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
	return rows.length;
}

/** Marks the matching unused code as used; false when none matches. */
export async function consumeRecoveryCode(db: Database, userId: string, input: string): Promise<boolean> {
	const code = normaliseRecoveryCode(input);
	const candidates = await db
		.select({ id: recoveryCodes.id, codeHash: recoveryCodes.codeHash })
		.from(recoveryCodes)
		.where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
	for (const candidate of candidates) {
		if (await verifySecret(code, candidate.codeHash)) {
			// The usedAt guard makes a concurrent second use of the same code lose.
			const used = await db
				.update(recoveryCodes)
				.set({ usedAt: new Date() })
				.where(and(eq(recoveryCodes.id, candidate.id), isNull(recoveryCodes.usedAt)))
				.returning({ id: recoveryCodes.id });
			return used.length === 1;
		}
	}
	return false;
}
