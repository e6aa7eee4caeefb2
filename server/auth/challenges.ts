import type { Redis } from 'ioredis';
import { z } from 'zod';

export const CHALLENGE_TTL_SECONDS = 300;

/** What a challenge was issued for; checked again when it is answered. */
export const challengeContextSchema = z.discriminatedUnion('purpose', [
	z.object({
		purpose: z.literal('signup'),
		email: z.string(),
		displayName: z.string(),
		workspaceName: z.string().nullable(),
		inviteToken: z.string().nullable(),
		webauthnUserId: z.string()
	}),
	z.object({ purpose: z.literal('login'), userId: z.string().nullable() }),
	z.object({ purpose: z.literal('add-passkey'), userId: z.string(), sessionId: z.string() })
]);

export type ChallengeContext = z.infer<typeof challengeContextSchema>;

/** WebAuthn challenges in Redis: shared by every process, single use, five minutes. */
export class ChallengeStore {
	constructor(
		private readonly redis: Redis,
		private readonly prefix: string
	) {}

	#key(challenge: string): string {
		return `${this.prefix}:webauthn:challenge:${challenge}`;
	}

	async put(challenge: string, context: ChallengeContext): Promise<void> {
		await this.redis.set(this.#key(challenge), JSON.stringify(context), 'EX', CHALLENGE_TTL_SECONDS);
	}

	/** Returns the context and deletes it in one step, so a replay finds nothing. */
	async take(challenge: string): Promise<ChallengeContext | null> {
		if (!/^[A-Za-z0-9_-]{16,128}$/.test(challenge)) return null;
		const raw = await this.redis.getdel(this.#key(challenge));
		if (!raw) return null;
		const parsed = challengeContextSchema.safeParse(JSON.parse(raw));
		return parsed.success ? parsed.data : null;
	}
}

/** The challenge a browser signed, read from its clientDataJSON (verified again by the library). */
export function challengeOf(clientDataJSON: string): string | null {
	try {
		const data = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
		return typeof data.challenge === 'string' ? data.challenge : null;
	} catch {
		return null;
	}
}
