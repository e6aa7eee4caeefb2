import { eq, sql } from 'drizzle-orm';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { campaigns, leadImports, senderNumbers } from '../../db/schema/index';
import type { ClientToServerEvents, OverviewChanged, ServerToClientEvents } from '../../realtime/protocol/socket-events';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { database } from '../../server/db';
import { followOverviewChanges } from '../../server/overview/changes';
import { seedMember } from '../support/access';
import { seedUser } from '../support/identity';
import { spawnMuster, type RunningServer } from '../support/spawn-server';
import { envVars } from '../support/test-env';

/**
 * The live grid's change events across two server processes (SPEC O1–O3): a change written by
 * anyone (here the test process itself, as a worker would) reaches the members of that
 * workspace on either instance, once, and nobody else.
 */

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
let a: RunningServer;
let b: RunningServer;
const open: Client[] = [];

beforeAll(async () => {
	await bootstrap(config());
	const env = { ...envVars(inject('testEnv')), ROLE: 'web' };
	[a, b] = await Promise.all([spawnMuster({ env }), spawnMuster({ env })]);
});

afterAll(async () => {
	for (const socket of open) socket.disconnect();
	await Promise.all([a, b].filter(Boolean).map((server) => server.stop('SIGTERM')));
});

/** A tab of `token`'s on `server`, joined to `workspaceId`'s presence room, recording overview events. */
async function tab(server: RunningServer, token: string, workspaceId: string): Promise<{ events: OverviewChanged[]; socket: Client }> {
	const socket: Client = connect(server.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: `muster_session=${token}` }, reconnection: false });
	open.push(socket);
	const events: OverviewChanged[] = [];
	socket.on('overview:changed', (change) => events.push(change));
	await new Promise((resolve, reject) => {
		socket.once('hello', resolve);
		socket.once('connect_error', reject);
	});
	const joined = await socket.timeout(3_000).emitWithAck('presence:join', { workspaceId, where: { page: '/w/x' } });
	// A refusal is fine here: the intruder's join is refused (P2) and must hear nothing.
	void joined;
	return { events, socket };
}

const stagesOf = (events: OverviewChanged[]) => events.flatMap((e) => e.stages);

describe('overview:changed', () => {
	it('O1–O3: a change reaches the workspace’s members on both instances, and no one outside it', async () => {
		const owner = await seedUser('live-owner');
		const workspaceId = owner.workspace!.id;
		const viewer = await seedMember(workspaceId, 'live-viewer', 'viewer');
		const outsider = await seedUser('live-outsider');

		const onA = await tab(a, owner.token, workspaceId);
		const onB = await tab(b, viewer.token, workspaceId);
		// Their own workspace, on the same instance as the viewer.
		const elsewhere = await tab(b, outsider.token, outsider.workspace!.id);
		// Asking to join a workspace one is not in joins nothing (P2), so hears nothing either.
		const intruder = await tab(a, outsider.token, workspaceId);

		await owner.client.caller.numbers.create({ workspaceId, number: { e164: '+14155550100', providerAccount: 'acct', brandId: 'BACME', campaignId: 'C1', areaCode: '415', state: 'CA' } });
		await expect.poll(() => stagesOf(onA.events)).toEqual(['numbers']);
		await expect.poll(() => stagesOf(onB.events)).toEqual(['numbers']);
		expect(onB.events[0]).toEqual({ workspaceId, stages: ['numbers'] });

		// Written straight to the database, as a worker does: an import that ends moves files and audiences.
		const [row] = await database()
			.db.insert(leadImports)
			.values({ workspaceId, fileName: 'x.csv', fileSize: 1, uploadId: `live-${crypto.randomUUID()}`, status: 'running' })
			.returning({ id: leadImports.id });
		for (const on of [onA, onB]) await expect.poll(() => stagesOf(on.events)).toEqual(['numbers', 'files']);
		await database().db.update(leadImports).set({ status: 'completed' }).where(eq(leadImports.id, row!.id));
		for (const on of [onA, onB]) await expect.poll(() => stagesOf(on.events)).toEqual(['numbers', 'files', 'files', 'campaigns']);
		await owner.client.caller.campaigns.create({ workspaceId, name: 'Spring sellers' });
		for (const on of [onA, onB]) await expect.poll(() => on.events.length).toBe(4);
		expect(onB.events.at(-1)).toEqual({ workspaceId, stages: ['campaigns'] });

		// Give a duplicate (or a leak) time to arrive before saying there is none.
		await new Promise((resolve) => setTimeout(resolve, 1_500));
		expect(onA.events).toEqual(onB.events);
		expect(elsewhere.events).toEqual([]);
		expect(intruder.events).toEqual([]);
	});

	it('O1: the database announces status changes, not progress; one notice per bulk statement; nothing for a rewrite that changes nothing', async () => {
		const owner = await seedUser('live-notices');
		const workspaceId = owner.workspace!.id;
		const heard: string[] = [];
		const stop = followOverviewChanges({ onChange: (ws, stage) => ws === workspaceId && heard.push(stage), onResync: () => undefined });
		try {
			const { db } = database();
			// The listener is up once it hears a change of its own workspace; notices come in commit
			// order, so once a crusade's is heard, every probe before it has been too.
			await expect
				.poll(async () => {
					await owner.client.caller.campaigns.create({ workspaceId, name: `probe ${Date.now()}` });
					return heard.length;
				})
				.toBeGreaterThan(0);
			await owner.client.caller.crusades.create({ workspaceId, name: 'sentinel' });
			await expect.poll(() => heard.at(-1)).toBe('crusades');
			heard.length = 0;
			const [row] = await db.insert(leadImports).values({ workspaceId, fileName: 'big.csv', fileSize: 1, uploadId: `live-${crypto.randomUUID()}`, status: 'running' }).returning({ id: leadImports.id });
			for (let rows = 1_000; rows <= 20_000; rows += 1_000) await db.update(leadImports).set({ rowsRead: rows }).where(eq(leadImports.id, row!.id));
			await db.update(campaigns).set({ updatedAt: new Date() }).where(eq(campaigns.workspaceId, workspaceId));
			await db.insert(senderNumbers).values(
				Array.from({ length: 100 }, (_, i) => ({ workspaceId, e164: `+1415555${String(i).padStart(4, '0')}`, providerAccount: 'acct', brandId: 'B', campaignId: 'C', areaCode: '415', state: 'CA' }))
			);
			await db.update(leadImports).set({ status: 'cancelled' }).where(eq(leadImports.id, row!.id));
			// Notices arrive in commit order, so the last one says everything before it has been heard.
			await expect.poll(() => heard.at(-1)).toBe('campaigns');
			expect(heard).toEqual(['files', 'numbers', 'files', 'campaigns']);
		} finally {
			await stop();
		}
	});

	it('O4: a listener that loses its connection reconnects and tells every workspace on its instance to refetch everything', async () => {
		const owner = await seedUser('live-resync');
		const workspaceId = owner.workspace!.id;
		const onA = await tab(a, owner.token, workspaceId);
		const heard: string[] = [];
		let resyncs = 0;
		const stop = followOverviewChanges({ onChange: (ws, stage) => ws === workspaceId && heard.push(stage), onResync: () => resyncs++ });
		try {
			await expect
				.poll(async () => {
					await owner.client.caller.campaigns.create({ workspaceId, name: `probe ${Date.now()}` });
					return heard.length;
				})
				.toBeGreaterThan(0);
			// Every listening connection of this database goes: this process's and both servers'.
			const killed = await database().db.execute<{ n: number }>(
				sql`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = current_database() and query = 'LISTEN muster_overview' and pid <> pg_backend_pid()`
			);
			expect(killed.rows[0]?.n).toBeGreaterThanOrEqual(3);
			await expect.poll(() => resyncs).toBe(1);
			await expect.poll(() => onA.events.some((e) => e.stages.length === 4)).toBe(true);
			await owner.client.caller.crusades.create({ workspaceId, name: 'after the drop' });
			await expect.poll(() => heard.at(-1)).toBe('crusades');
		} finally {
			await stop();
		}
	});
});
