import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { MATRIX, type Action } from '../../server/permissions';
import { appRouter } from '../../server/trpc/root';
import type { Meta } from '../../server/trpc/context';
import { seedMember } from '../support/access';
import { client, seedUser } from '../support/identity';

/**
 * Walks every procedure of the router. A new procedure without the right tier fails here:
 * signed-out callers must be refused by everything not on the public list, and a member of
 * another workspace by everything workspace-scoped.
 */
const PUBLIC = new Set([
	'system.ping',
	'system.info',
	'system.reportClientError',
	'auth.signupOptions',
	'auth.signupVerify',
	'auth.loginOptions',
	'auth.loginVerify',
	'auth.recoverWithCode',
	'auth.recoveryEmailAvailable',
	'auth.requestRecoveryEmail',
	'auth.recoverWithLink',
	'auth.invitePreview'
]);

type AnyProcedure = { _def: { meta?: Meta; type: 'query' | 'mutation' | 'subscription' } };
const procedures = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, AnyProcedure> } })._def.procedures);

async function call(caller: unknown, path: string, input: unknown): Promise<unknown> {
	let target: unknown = caller;
	for (const part of path.split('.')) target = (target as Record<string, unknown>)[part];
	return (target as (input: unknown) => Promise<unknown>)(input);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
		return 'OK';
	} catch (error) {
		return error instanceof TRPCError ? error.code : `THREW ${String(error)}`;
	}
}

/** The refusal of the role gate itself (not a service's own FORBIDDEN further in), or what happened instead. */
async function roleRefusal(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
		return 'OK';
	} catch (error) {
		if (!(error instanceof TRPCError)) return `THREW ${String(error)}`;
		return error.code === 'FORBIDDEN' && /^Your role \(\w+\) does not allow this\.$/.test(error.message) ? 'ROLE' : error.code;
	}
}

let victimWorkspace: string;
let outsider: Awaited<ReturnType<typeof seedUser>>;
let viewer: Awaited<ReturnType<typeof seedMember>>;
let operator: Awaited<ReturnType<typeof seedMember>>;

beforeAll(async () => {
	await bootstrap(config());
	const victim = await seedUser('victim');
	victimWorkspace = victim.workspace?.id ?? '';
	outsider = await seedUser('outsider');
	viewer = await seedMember(victimWorkspace, 'walk-viewer', 'viewer');
	operator = await seedMember(victimWorkspace, 'walk-operator', 'operator');
});

const workspaceScoped = procedures.filter(([, p]) => p._def.meta?.tier === 'workspace');
const lowestRole = (p: AnyProcedure) => {
	const action = p._def.meta?.action;
	if (!action || !(action in MATRIX)) throw new Error(`a workspace procedure with no known action (${String(action)})`);
	return MATRIX[action as Action];
};

describe('every tRPC procedure checks access', () => {
	it('found the procedures, each with a declared tier', () => {
		expect(procedures.length).toBeGreaterThan(25);
		for (const [path, proc] of procedures) expect(proc._def.meta?.tier, path).toMatch(/^(public|authed|workspace)$/);
		for (const path of PUBLIC) expect(procedures.map(([p]) => p)).toContain(path);
	});

	it.each(procedures.filter(([path]) => !PUBLIC.has(path)).map(([path]) => path))('%s refuses a signed-out caller', async (path) => {
		const anonymous = client(null);
		expect(await codeOf(call(anonymous.caller, path, { workspaceId: victimWorkspace }))).toBe('UNAUTHORIZED');
	});

	it.each(procedures.filter(([, p]) => p._def.meta?.tier === 'workspace').map(([path]) => path))(
		'%s refuses a member of another workspace',
		async (path) => {
			expect(await codeOf(call(outsider.client.caller, path, { workspaceId: victimWorkspace }))).toBe('FORBIDDEN');
		}
	);

	// Every write (campaigns, crusades, dry-runs, numbers, media, messaging, …) is refused to a
	// viewer by the gate, before its input is read; and every read lets a viewer past the gate.
	it.each(workspaceScoped.filter(([, p]) => lowestRole(p) !== 'viewer').map(([path]) => path))('%s refuses a viewer', async (path) => {
		expect(await roleRefusal(call(viewer.client.caller, path, { workspaceId: victimWorkspace }))).toBe('ROLE');
	});

	it.each(workspaceScoped.filter(([, p]) => lowestRole(p) === 'admin' || lowestRole(p) === 'owner').map(([path]) => path))('%s refuses an operator', async (path) => {
		expect(await roleRefusal(call(operator.client.caller, path, { workspaceId: victimWorkspace }))).toBe('ROLE');
	});

	it.each(workspaceScoped.filter(([, p]) => lowestRole(p) === 'viewer').map(([path]) => path))('%s lets a viewer past the gate', async (path) => {
		expect(await roleRefusal(call(viewer.client.caller, path, { workspaceId: victimWorkspace }))).not.toBe('ROLE');
	});

	it('public procedures are only those on the list', () => {
		const publicOnes = procedures.filter(([, p]) => p._def.meta?.tier === 'public').map(([path]) => path);
		expect(new Set(publicOnes)).toEqual(PUBLIC);
	});
});
