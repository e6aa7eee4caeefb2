import type { Redis } from 'ioredis';
import type { Database } from '../../db/client';
import type { AuditActor } from '../audit/service';
import { ChallengeStore } from './challenges';
import { RateLimiter } from './rate-limit';
import type { RelyingParty } from './webauthn';

/** What the identity services need, passed in so tests can build it from their own env. */
export interface AuthDeps {
	db: Database;
	redis: Redis;
	challenges: ChallengeStore;
	limiter: RateLimiter;
	rp: RelyingParty;
	mailer: Mailer | null;
}

export interface Mailer {
	send(message: { to: string; subject: string; text: string; html: string }): Promise<void>;
}

export interface RequestMeta {
	ip: string;
	userAgent: string;
}

export function makeAuthDeps(input: { db: Database; redis: Redis; prefix: string; rp: RelyingParty; mailer: Mailer | null }): AuthDeps {
	return {
		db: input.db,
		redis: input.redis,
		rp: input.rp,
		mailer: input.mailer,
		challenges: new ChallengeStore(input.redis, input.prefix),
		limiter: new RateLimiter(input.redis, input.prefix)
	};
}

export function anonymous(meta: RequestMeta, label = 'anonymous'): AuditActor {
	return { userId: null, label, ip: meta.ip, userAgent: meta.userAgent };
}

export function actorOf(user: { id: string; email: string }, meta: RequestMeta): AuditActor & { userId: string } {
	return { userId: user.id, label: user.email, ip: meta.ip, userAgent: meta.userAgent };
}
