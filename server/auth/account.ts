import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { passkeys, recoveryTokens, users } from '../../db/schema/index';
import { audit } from '../audit/service';
import { BadInputError, NotFoundError, UnauthenticatedError } from '../errors';
import { actorOf, anonymous, type AuthDeps, type RequestMeta } from './deps';
import { consumeRecoveryCode, regenerateRecoveryCodes, unusedRecoveryCodeCount } from './recovery';
import { createSession, invalidateOtherSessions, invalidateUserSession, type Session, type SessionUser } from './session';
import { randomToken, sha256Hex } from './tokens';

export const RECOVERY_LINK_TTL_MS = 15 * 60 * 1000;

export async function listPasskeys(deps: AuthDeps, userId: string) {
	return deps.db
		.select({ id: passkeys.id, name: passkeys.name, deviceType: passkeys.deviceType, backedUp: passkeys.backedUp, createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt })
		.from(passkeys)
		.where(eq(passkeys.userId, userId))
		.orderBy(asc(passkeys.createdAt));
}

export async function renamePasskey(deps: AuthDeps, user: SessionUser, id: string, name: string, meta: RequestMeta): Promise<void> {
	const renamed = await deps.db.update(passkeys).set({ name }).where(and(eq(passkeys.id, id), eq(passkeys.userId, user.id))).returning({ id: passkeys.id });
	if (renamed.length === 0) throw new NotFoundError('That passkey is not one of yours.');
	await audit(deps.db, actorOf(user, meta), { action: 'passkey.renamed', targetType: 'passkey', targetId: id, data: { name } });
}

export async function removePasskey(deps: AuthDeps, user: SessionUser, id: string, meta: RequestMeta): Promise<void> {
	await deps.db.transaction(async (tx) => {
		const mine = await tx.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.userId, user.id)).for('update');
		if (!mine.some((p) => p.id === id)) throw new NotFoundError('That passkey is not one of yours.');
		if (mine.length === 1 && (await unusedRecoveryCodeCount(tx, user.id)) === 0) {
			throw new BadInputError('This is your last passkey and you have no unused recovery codes. Add another passkey or make new recovery codes first.');
		}
		await tx.delete(passkeys).where(and(eq(passkeys.id, id), eq(passkeys.userId, user.id)));
		await audit(tx, actorOf(user, meta), { action: 'passkey.removed', targetType: 'passkey', targetId: id });
	});
}

export async function regenerateCodes(deps: AuthDeps, user: SessionUser, meta: RequestMeta): Promise<string[]> {
	const codes = await regenerateRecoveryCodes(deps.db, user.id);
	await audit(deps.db, actorOf(user, meta), { action: 'recovery.codes_regenerated', targetType: 'user', targetId: user.id });
	return codes;
}

async function userByEmail(deps: AuthDeps, email: string) {
	const [user] = await deps.db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`).limit(1);
	return user ?? null;
}

const RECOVERY_REFUSED = 'That e-mail and recovery code do not match an unused code.';

/** Signs in with a one-time code; the session may do nothing but register a new passkey. */
export async function recoverWithCode(deps: AuthDeps, email: string, code: string, meta: RequestMeta): Promise<{ token: string; session: Session }> {
	await deps.limiter.consume('recoveryIp', meta.ip);
	const user = await userByEmail(deps, email);
	if (!user) {
		await audit(deps.db, anonymous(meta, email), { action: 'user.login_failed', data: { reason: 'recovery for unknown e-mail' } });
		throw new UnauthenticatedError(RECOVERY_REFUSED);
	}
	await deps.limiter.consume('recoveryAccount', user.id);
	if (!(await consumeRecoveryCode(deps.db, user.id, code))) {
		await audit(deps.db, actorOf(user, meta), { action: 'user.login_failed', targetType: 'user', targetId: user.id, data: { reason: 'wrong recovery code' } });
		throw new UnauthenticatedError(RECOVERY_REFUSED);
	}
	const created = await createSession(deps.db, user.id, meta, { mustRegisterPasskey: true });
	await audit(deps.db, actorOf(user, meta), { action: 'recovery.code_used', targetType: 'user', targetId: user.id, data: { left: await unusedRecoveryCodeCount(deps.db, user.id) } });
	return created;
}

/** Sends a single-use 15-minute link when the account exists; answers the same either way. */
export async function requestRecoveryEmail(deps: AuthDeps, email: string, meta: RequestMeta): Promise<void> {
	if (!deps.mailer) throw new BadInputError('E-mail recovery is not configured on this instance. Use a recovery code.');
	await deps.limiter.consume('recoveryIp', meta.ip);
	const user = await userByEmail(deps, email);
	if (!user) return;
	await deps.limiter.consume('recoveryAccount', user.id);
	const token = randomToken(24);
	await deps.db.insert(recoveryTokens).values({ id: sha256Hex(token), userId: user.id, expiresAt: new Date(Date.now() + RECOVERY_LINK_TTL_MS) });
	const link = `${deps.rp.origin}/recover/link?token=${token}`;
	await deps.mailer.send({
		to: user.email,
		subject: 'Your Muster recovery link',
		text: `Someone (hopefully you) asked to recover the Muster account ${user.email}.\n\nOpen this link within 15 minutes to sign in and register a new passkey:\n${link}\n\nIf it was not you, ignore this e-mail; nothing changes.`,
		html: `<p>Someone (hopefully you) asked to recover the Muster account <b>${user.email.replace(/</g, '&lt;')}</b>.</p><p><a href="${link}">Sign in and register a new passkey</a> (valid for 15 minutes, once).</p><p>If it was not you, ignore this e-mail; nothing changes.</p>`
	});
	await audit(deps.db, actorOf(user, meta), { action: 'recovery.email_sent', targetType: 'user', targetId: user.id });
}

export async function recoverWithLink(deps: AuthDeps, token: string, meta: RequestMeta): Promise<{ token: string; session: Session }> {
	await deps.limiter.consume('recoveryIp', meta.ip);
	if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) throw new UnauthenticatedError('This recovery link is not valid.');
	const [used] = await deps.db
		.update(recoveryTokens)
		.set({ usedAt: new Date() })
		.where(and(eq(recoveryTokens.id, sha256Hex(token)), isNull(recoveryTokens.usedAt), gt(recoveryTokens.expiresAt, new Date())))
		.returning({ userId: recoveryTokens.userId });
	if (!used) throw new UnauthenticatedError('This recovery link has expired or was already used. Ask for a new one.');
	const [user] = await deps.db.select().from(users).where(eq(users.id, used.userId)).limit(1);
	if (!user) throw new UnauthenticatedError('This recovery link is not valid.');
	const created = await createSession(deps.db, user.id, meta, { mustRegisterPasskey: true });
	await audit(deps.db, actorOf(user, meta), { action: 'recovery.link_used', targetType: 'user', targetId: user.id });
	return created;
}

export async function revokeSession(deps: AuthDeps, user: SessionUser, sessionId: string, meta: RequestMeta): Promise<void> {
	if (!(await invalidateUserSession(deps.db, user.id, sessionId))) throw new NotFoundError('That session has already ended.');
	await audit(deps.db, actorOf(user, meta), { action: 'session.revoked', targetType: 'session', targetId: sessionId.slice(0, 12) });
}

export async function revokeOtherSessions(deps: AuthDeps, user: SessionUser, current: Session, meta: RequestMeta): Promise<number> {
	const count = await invalidateOtherSessions(deps.db, user.id, current.id);
	await audit(deps.db, actorOf(user, meta), { action: 'session.revoked_others', targetType: 'user', targetId: user.id, data: { count } });
	return count;
}
