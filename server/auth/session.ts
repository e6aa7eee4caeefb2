import { and, desc, eq, gt, ne } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { sessions, users } from '../../db/schema/index';
import { randomToken, sha256Hex } from './tokens';

export const SESSION_COOKIE = 'muster_session';
const DAY = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME_MS = 30 * DAY;
/** Sliding expiry: a session used with fewer than this many days left gets a fresh 30. */
const RENEW_WITHIN_MS = 15 * DAY;
/** `last_seen_at` is written at most this often, so every request is not a write. */
const SEEN_EVERY_MS = 60 * 1000;

export interface SessionUser {
	id: string;
	email: string;
	displayName: string;
	isSuperAdmin: boolean;
}

export interface Session {
	id: string;
	userId: string;
	expiresAt: Date;
	mustRegisterPasskey: boolean;
}

export type SessionValidation = { session: Session; user: SessionUser; renewed: boolean } | null;

export interface SessionMeta {
	ip: string;
	userAgent: string;
}

export async function createSession(
	db: Database,
	userId: string,
	meta: SessionMeta,
	options: { mustRegisterPasskey?: boolean } = {}
): Promise<{ token: string; session: Session }> {
	const token = randomToken();
	const session: Session = {
		id: sha256Hex(token),
		userId,
		expiresAt: new Date(Date.now() + SESSION_LIFETIME_MS),
		mustRegisterPasskey: options.mustRegisterPasskey ?? false
	};
	await db.insert(sessions).values({ ...session, ip: meta.ip, userAgent: meta.userAgent.slice(0, 512) });
	return { token, session };
}

/**
 * The one session check, used by the SvelteKit hook, the tRPC context, the Socket.IO
 * middleware and the Yjs upgrade. Returns null for unknown, malformed or expired tokens.
 */
export async function validateSession(db: Database, token: string | undefined | null, now = new Date()): Promise<SessionValidation> {
	if (!token || token.length > 128 || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
	const id = sha256Hex(token);
	const [row] = await db
		.select({
			id: sessions.id,
			userId: sessions.userId,
			expiresAt: sessions.expiresAt,
			lastSeenAt: sessions.lastSeenAt,
			mustRegisterPasskey: sessions.mustRegisterPasskey,
			email: users.email,
			displayName: users.displayName,
			isSuperAdmin: users.isSuperAdmin
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(eq(sessions.id, id))
		.limit(1);
	if (!row) return null;
	if (row.expiresAt.getTime() <= now.getTime()) {
		await db.delete(sessions).where(eq(sessions.id, id));
		return null;
	}
	let expiresAt = row.expiresAt;
	const renewed = expiresAt.getTime() - now.getTime() < RENEW_WITHIN_MS;
	if (renewed) expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
	if (renewed || now.getTime() - row.lastSeenAt.getTime() > SEEN_EVERY_MS) {
		await db.update(sessions).set({ expiresAt, lastSeenAt: now }).where(eq(sessions.id, id));
	}
	return {
		session: { id, userId: row.userId, expiresAt, mustRegisterPasskey: row.mustRegisterPasskey },
		user: { id: row.userId, email: row.email, displayName: row.displayName, isSuperAdmin: row.isSuperAdmin },
		renewed
	};
}

export async function invalidateSession(db: Database, sessionId: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function invalidateUserSession(db: Database, userId: string, sessionId: string): Promise<boolean> {
	const deleted = await db.delete(sessions).where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId))).returning({ id: sessions.id });
	return deleted.length > 0;
}

export async function invalidateOtherSessions(db: Database, userId: string, keepSessionId: string): Promise<number> {
	const deleted = await db
		.delete(sessions)
		.where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)))
		.returning({ id: sessions.id });
	return deleted.length;
}

export async function completePasskeyRequirement(db: Database, sessionId: string): Promise<void> {
	await db.update(sessions).set({ mustRegisterPasskey: false }).where(eq(sessions.id, sessionId));
}

export async function listSessions(db: Database, userId: string, now = new Date()) {
	return db
		.select({ id: sessions.id, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, ip: sessions.ip, userAgent: sessions.userAgent })
		.from(sessions)
		.where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
		.orderBy(desc(sessions.lastSeenAt));
}

export interface CookieOptions {
	secure: boolean;
}

export function sessionCookie(token: string, expiresAt: Date, { secure }: CookieOptions): string {
	return [
		`${SESSION_COOKIE}=${token}`,
		'Path=/',
		'HttpOnly',
		'SameSite=Lax',
		`Expires=${expiresAt.toUTCString()}`,
		secure ? 'Secure' : ''
	]
		.filter(Boolean)
		.join('; ');
}

export function clearedSessionCookie({ secure }: CookieOptions): string {
	return [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', secure ? 'Secure' : ''].filter(Boolean).join('; ');
}

export function readCookie(header: string | null | undefined, name = SESSION_COOKIE): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const [key, ...rest] = part.trim().split('=');
		if (key === name) return rest.join('=');
	}
	return null;
}
