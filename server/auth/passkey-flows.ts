import { eq, sql } from 'drizzle-orm';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { passkeys, users } from '../../db/schema/index';
import { audit } from '../audit/service';
import { BadInputError, ConflictError, ForbiddenError, UnauthenticatedError } from '../errors';
import { acceptInvitation, checkInvitation } from '../workspaces/invitations';
import { createWorkspace } from '../workspaces/service';
import { challengeOf } from './challenges';
import { actorOf, anonymous, type AuthDeps, type RequestMeta } from './deps';
import { regenerateRecoveryCodes } from './recovery';
import { completePasskeyRequirement, createSession, type Session, type SessionUser } from './session';
import { randomToken } from './tokens';
import { authenticationOptions, registrationOptions, verifyAuthentication, verifyRegistration, type VerifiedRegistration } from './webauthn';

export interface SignupInput {
	email: string;
	displayName: string;
	workspaceName: string | null;
	inviteToken: string | null;
}

async function emailTaken(deps: AuthDeps, email: string): Promise<boolean> {
	const [row] = await deps.db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${email})`).limit(1);
	return !!row;
}

export async function signupOptions(deps: AuthDeps, input: SignupInput, meta: RequestMeta) {
	await deps.limiter.consume('challengeIp', meta.ip);
	if (!input.workspaceName && !input.inviteToken) throw new BadInputError('Name your first workspace.');
	if (input.inviteToken) await checkInvitation(deps.db, anonymous(meta, input.email), input.inviteToken);
	if (await emailTaken(deps, input.email)) throw new ConflictError('An account with this e-mail already exists. Sign in instead.');
	const webauthnUserId = randomToken(32);
	const options = await registrationOptions(deps.rp, { webauthnUserId, email: input.email, displayName: input.displayName }, []);
	await deps.challenges.put(options.challenge, { purpose: 'signup', ...input, webauthnUserId });
	return options;
}

function defaultPasskeyName(meta: RequestMeta, registration: VerifiedRegistration): string {
	const ua = meta.userAgent;
	const platform = /iPhone|iPad/.test(ua) ? 'iPhone' : /Android/.test(ua) ? 'Android' : /Mac OS X/.test(ua) ? 'Mac' : /Windows/.test(ua) ? 'Windows' : /Linux/.test(ua) ? 'Linux' : 'Device';
	return registration.deviceType === 'multiDevice' ? `Synced passkey (${platform})` : `Passkey on ${platform}`;
}

async function takeChallenge(deps: AuthDeps, clientDataJSON: string) {
	const challenge = challengeOf(clientDataJSON);
	const context = challenge ? await deps.challenges.take(challenge) : null;
	if (!challenge || !context) throw new BadInputError('This sign-in request has expired or was already used. Try again.');
	return { challenge, context };
}

export interface SignupResult {
	user: SessionUser;
	token: string;
	session: Session;
	recoveryCodes: string[];
	workspaceSlug: string;
}

export async function signupVerify(deps: AuthDeps, response: RegistrationResponseJSON, meta: RequestMeta): Promise<SignupResult> {
	await deps.limiter.consume('challengeIp', meta.ip);
	const { challenge, context } = await takeChallenge(deps, response.response.clientDataJSON);
	if (context.purpose !== 'signup') throw new BadInputError('This request was not a sign-up. Start again.');
	const registration = await verifyRegistration(deps.rp, response, challenge);
	const result = await deps.db.transaction(async (tx) => {
		// Serialises sign-ups so exactly one account can be the instance's first (super-admin).
		await tx.execute(sql`SELECT pg_advisory_xact_lock(727002)`);
		const [taken] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${context.email})`).limit(1);
		if (taken) throw new ConflictError('An account with this e-mail already exists. Sign in instead.');
		const [{ count } = { count: 0 }] = await tx.select({ count: sql<number>`count(*)::int` }).from(users);
		const [user] = await tx
			.insert(users)
			.values({ email: context.email, displayName: context.displayName, webauthnUserId: context.webauthnUserId, isSuperAdmin: count === 0 })
			.returning();
		if (!user) throw new Error('user insert returned nothing');
		await tx.insert(passkeys).values({
			id: registration.credentialId,
			userId: user.id,
			name: defaultPasskeyName(meta, registration),
			publicKey: registration.publicKey,
			counter: registration.counter,
			transports: registration.transports,
			deviceType: registration.deviceType,
			backedUp: registration.backedUp
		});
		const actor = actorOf(user, meta);
		await audit(tx, actor, { action: 'user.signed_up', targetType: 'user', targetId: user.id, data: { superAdmin: user.isSuperAdmin } });
		await audit(tx, actor, { action: 'passkey.added', targetType: 'passkey', targetId: registration.credentialId });
		let workspaceSlug: string;
		if (context.inviteToken) {
			workspaceSlug = (await acceptInvitation(tx, actor, context.inviteToken)).workspaceSlug;
		} else {
			workspaceSlug = (await createWorkspace(tx, actor, context.workspaceName ?? `${context.displayName}'s workspace`)).slug;
		}
		return { user, workspaceSlug };
	});
	const recoveryCodes = await regenerateRecoveryCodes(deps.db, result.user.id);
	const { token, session } = await createSession(deps.db, result.user.id, meta);
	const user = { id: result.user.id, email: result.user.email, displayName: result.user.displayName, isSuperAdmin: result.user.isSuperAdmin };
	return { user, token, session, recoveryCodes, workspaceSlug: result.workspaceSlug };
}

export async function loginOptions(deps: AuthDeps, email: string | null, meta: RequestMeta) {
	await deps.limiter.consume('challengeIp', meta.ip);
	let allow: { id: string; transports: string[] }[] = [];
	let userId: string | null = null;
	if (email) {
		const [user] = await deps.db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${email})`).limit(1);
		if (user) {
			userId = user.id;
			allow = await deps.db.select({ id: passkeys.id, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, user.id));
		}
		// An unknown e-mail gets the same shape of answer (an empty list), so the form does not reveal who has an account.
	}
	const options = await authenticationOptions(deps.rp, allow);
	await deps.challenges.put(options.challenge, { purpose: 'login', userId });
	return options;
}

export async function loginVerify(deps: AuthDeps, response: AuthenticationResponseJSON, meta: RequestMeta) {
	await deps.limiter.consume('loginIp', meta.ip);
	const { challenge, context } = await takeChallenge(deps, response.response.clientDataJSON);
	if (context.purpose !== 'login') throw new BadInputError('This request was not a sign-in. Start again.');
	const [row] = await deps.db
		.select({ passkey: passkeys, user: users })
		.from(passkeys)
		.innerJoin(users, eq(users.id, passkeys.userId))
		.where(eq(passkeys.id, response.id))
		.limit(1);
	if (!row || (context.userId && context.userId !== row.user.id)) {
		await audit(deps.db, anonymous(meta), { action: 'user.login_failed', targetType: 'passkey', targetId: response.id.slice(0, 200), data: { reason: 'unknown credential' } });
		throw new UnauthenticatedError('This passkey is not registered with Muster. Sign up, or use another passkey.');
	}
	await deps.limiter.consume('loginAccount', row.user.id);
	const actor = actorOf(row.user, meta);
	const outcome = await verifyAuthentication(deps.rp, response, challenge, row.passkey);
	if (!outcome.ok) {
		if (outcome.reason === 'cloned') {
			await audit(deps.db, actor, { action: 'passkey.clone_suspected', targetType: 'passkey', targetId: row.passkey.id, data: { storedCounter: row.passkey.counter } });
		}
		await audit(deps.db, actor, { action: 'user.login_failed', targetType: 'passkey', targetId: row.passkey.id, data: { reason: outcome.reason, detail: outcome.message } });
		throw outcome.reason === 'cloned'
			? new ForbiddenError('This passkey was refused: its signature counter went backwards, which suggests a cloned authenticator. Use another passkey or a recovery code.')
			: new UnauthenticatedError('The passkey could not be verified. Try again.');
	}
	await deps.db.update(passkeys).set({ counter: outcome.newCounter, lastUsedAt: new Date() }).where(eq(passkeys.id, row.passkey.id));
	const { token, session } = await createSession(deps.db, row.user.id, meta);
	await audit(deps.db, actor, { action: 'user.logged_in', targetType: 'passkey', targetId: row.passkey.id });
	const user: SessionUser = { id: row.user.id, email: row.user.email, displayName: row.user.displayName, isSuperAdmin: row.user.isSuperAdmin };
	return { user, token, session };
}

export async function addPasskeyOptions(deps: AuthDeps, user: SessionUser, session: Session, meta: RequestMeta) {
	await deps.limiter.consume('challengeIp', meta.ip);
	const [account] = await deps.db.select({ webauthnUserId: users.webauthnUserId }).from(users).where(eq(users.id, user.id)).limit(1);
	if (!account) throw new UnauthenticatedError();
	const existing = await deps.db.select({ id: passkeys.id, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, user.id));
	const options = await registrationOptions(deps.rp, { webauthnUserId: account.webauthnUserId, email: user.email, displayName: user.displayName }, existing);
	await deps.challenges.put(options.challenge, { purpose: 'add-passkey', userId: user.id, sessionId: session.id });
	return options;
}

export async function addPasskeyVerify(deps: AuthDeps, user: SessionUser, session: Session, response: RegistrationResponseJSON, name: string | null, meta: RequestMeta) {
	const { challenge, context } = await takeChallenge(deps, response.response.clientDataJSON);
	if (context.purpose !== 'add-passkey' || context.userId !== user.id || context.sessionId !== session.id) {
		throw new BadInputError('This request belongs to another session. Start again.');
	}
	const registration = await verifyRegistration(deps.rp, response, challenge);
	const passkeyName = name?.trim() || defaultPasskeyName(meta, registration);
	try {
		await deps.db.insert(passkeys).values({
			id: registration.credentialId,
			userId: user.id,
			name: passkeyName,
			publicKey: registration.publicKey,
			counter: registration.counter,
			transports: registration.transports,
			deviceType: registration.deviceType,
			backedUp: registration.backedUp
		});
	} catch (error) {
		if ((error as { code?: string }).code === '23505') throw new ConflictError('This passkey is already registered.');
		throw error;
	}
	if (session.mustRegisterPasskey) await completePasskeyRequirement(deps.db, session.id);
	await audit(deps.db, actorOf(user, meta), { action: 'passkey.added', targetType: 'passkey', targetId: registration.credentialId, data: { name: passkeyName } });
	return { id: registration.credentialId, name: passkeyName };
}
