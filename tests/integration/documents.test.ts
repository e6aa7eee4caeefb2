import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { eq, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { docSnapshots, docUpdates, docVersions, memberships } from '../../db/schema/index';
import { CloseCode } from '../../realtime/protocol/close-codes';
import { bootstrap } from '../../server/bootstrap';
import { briefDocName } from '../../server/brief/kind';
import { config } from '../../server/config';
import { database } from '../../server/db';
import { registry } from '../../server/metrics';
import { startDocServer, type DocServer } from '../support/doc-server';
import { seedUser } from '../support/identity';
import { peer, type TestPeer } from '../support/yjs-client';

let server: DocServer;
const peers: TestPeer[] = [];

beforeAll(async () => {
	await bootstrap(config());
	server = await startDocServer();
});

afterAll(async () => {
	for (const p of peers) p.destroy();
	await server.close();
});

function track(p: TestPeer): TestPeer {
	peers.push(p);
	return p;
}

function closeOf(url: string, cookie?: string): Promise<{ code: number; reason: string }> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url, { headers: cookie ? { cookie } : {} });
		ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
		ws.on('error', reject);
	});
}

async function counter(name: string, labels: Record<string, string> = {}): Promise<number> {
	const metric = await registry.getSingleMetric(name)?.get();
	const values = metric?.values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)) ?? [];
	return values.reduce((sum, v) => sum + v.value, 0);
}

async function member(label: string, role: 'admin' | 'operator' | 'viewer', workspaceId: string) {
	const seeded = await seedUser(label, { workspace: false });
	await database().db.insert(memberships).values({ workspaceId, userId: seeded.user.id, role });
	return { ...seeded, cookie: `muster_session=${seeded.token}` };
}

describe('refusals (SPEC D3)', () => {
	it('closes with a named code for each reason', async () => {
		const owner = await seedUser('refusals');
		const stranger = await seedUser('stranger');
		const cookie = `muster_session=${owner.token}`;
		const ws = server.url.replace('http', 'ws');
		expect(await closeOf(`${ws}/yjs/not-a-name`, cookie)).toEqual({ code: CloseCode.BadRequest, reason: 'bad request' });
		expect(await closeOf(`${ws}/yjs/${briefDocName(owner.workspace!.id)}`)).toEqual({ code: CloseCode.Unauthenticated, reason: 'unauthenticated' });
		expect(await closeOf(`${ws}/yjs/nosuchkind:${randomUUID()}`, cookie)).toEqual({ code: CloseCode.UnknownDocument, reason: 'unknown document' });
		expect(await closeOf(`${ws}/yjs/brief:${randomUUID()}`, cookie)).toEqual({ code: CloseCode.UnknownDocument, reason: 'unknown document' });
		expect(await closeOf(`${ws}/yjs/${briefDocName(owner.workspace!.id)}`, `muster_session=${stranger.token}`)).toEqual({ code: CloseCode.Forbidden, reason: 'forbidden' });
	});

	it('refuses a document whose stored log is corrupt, and leaves the log as it was', async () => {
		const owner = await seedUser('corrupt');
		const name = briefDocName(owner.workspace!.id);
		const { db } = database();
		await db.insert(docUpdates).values({ docName: name, workspaceId: owner.workspace!.id, update: new Uint8Array([0xff, 0xfe, 0x01, 0x02]) });
		const before = await db.select().from(docUpdates).where(eq(docUpdates.docName, name));
		const close = await closeOf(`${server.url.replace('http', 'ws')}/yjs/${name}`, `muster_session=${owner.token}`);
		expect(close.code).toBe(CloseCode.LoadFailed);
		expect(await db.select().from(docUpdates).where(eq(docUpdates.docName, name))).toEqual(before);
		expect(await db.select().from(docSnapshots).where(eq(docSnapshots.docName, name))).toEqual([]);
	});
});

describe('co-editing one document (SPEC Y1–Y2, D5)', () => {
	it('converges many clients and acknowledges only what is stored', async () => {
		const owner = await seedUser('converge');
		const cookie = `muster_session=${owner.token}`;
		const name = briefDocName(owner.workspace!.id);
		const clients = Array.from({ length: 8 }, () => track(peer(server.url, name, cookie)));
		await Promise.all(clients.map((c) => c.synced()));
		clients.forEach((c, i) => c.text.insert(0, `[${i}]`));
		for (const c of clients) await c.allSaved();
		const expected = clients[0]!.text.toString();
		expect(expected).toHaveLength(8 * 3);
		await expect.poll(() => clients.map((c) => c.text.toString())).toEqual(clients.map(() => expected));
		// Everything acknowledged is in Postgres: a fresh doc from the log holds it.
		const rows = await database().db.select({ update: docUpdates.update }).from(docUpdates).where(eq(docUpdates.docName, name));
		const fresh = new Y.Doc();
		rows.forEach((r) => Y.applyUpdateV2(fresh, r.update));
		expect(fresh.getText('body').toString()).toBe(expected);
		clients.forEach((c) => c.destroy());
	});

	it('serves the stock y-websocket client unchanged (SPEC D2): no extension messages unless asked', async () => {
		const owner = await seedUser('stock');
		const name = briefDocName(owner.workspace!.id);
		const cookie = `muster_session=${owner.token}`;
		const complaints = vi.spyOn(console, 'error');
		const stock = track(peer(server.url, name, cookie, { acks: false }));
		const app = track(peer(server.url, name, cookie));
		await Promise.all([stock.synced(), app.synced()]);
		stock.text.insert(0, 'from the stock client');
		await expect.poll(() => app.text.toString()).toBe('from the stock client');
		app.text.insert(0, '> ');
		await app.allSaved();
		await expect.poll(() => stock.text.toString()).toBe('> from the stock client');
		expect(stock.access()).toBeNull();
		expect(stock.saved()).toBe(0);
		expect(complaints.mock.calls.flat().join(' ')).not.toContain('Unable to compute message');
		complaints.mockRestore();
		stock.destroy();
		app.destroy();
	});

	it('lets a document leave memory after the grace period, and comes back from Postgres', async () => {
		const owner = await seedUser('grace');
		const name = briefDocName(owner.workspace!.id);
		const cookie = `muster_session=${owner.token}`;
		const writer = track(peer(server.url, name, cookie));
		await writer.synced();
		expect(server.hub.isLoaded(name)).toBe(true);
		writer.text.insert(0, 'still here');
		await writer.allSaved();
		writer.destroy();
		await expect.poll(() => server.hub.isLoaded(name), { timeout: 3_000 }).toBe(false);
		const reader = track(peer(server.url, name, cookie));
		await reader.synced();
		expect(reader.text.toString()).toBe('still here');
		reader.destroy();
	});

	it('lets viewers watch but drops and counts their edits', async () => {
		const owner = await seedUser('readonly');
		const viewer = await member('viewer', 'viewer', owner.workspace!.id);
		const name = briefDocName(owner.workspace!.id);
		const writer = track(peer(server.url, name, `muster_session=${owner.token}`));
		const watcher = track(peer(server.url, name, viewer.cookie));
		await Promise.all([writer.synced(), watcher.synced()]);
		expect(watcher.access()).toBe('read');
		expect(writer.access()).toBe('write');
		const dropped = await counter('muster_yjs_updates_dropped_total', { reason: 'read-only' });
		watcher.text.insert(0, 'sneaky ');
		writer.text.insert(0, 'hello');
		await writer.allSaved();
		await expect.poll(() => watcher.text.toString()).toContain('hello');
		await expect.poll(() => counter('muster_yjs_updates_dropped_total', { reason: 'read-only' })).toBeGreaterThan(dropped);
		expect(writer.text.toString()).toBe('hello');
		writer.destroy();
		watcher.destroy();
	});
});

describe('access changes while connected (SPEC D5)', () => {
	it('downgrades a demoted editor and closes a removed one within a second', async () => {
		const owner = await seedUser('revoke');
		const workspaceId = owner.workspace!.id;
		const name = briefDocName(workspaceId);
		const op = await member('operator', 'operator', workspaceId);
		const other = await member('operator2', 'operator', workspaceId);
		const demoted = track(peer(server.url, name, op.cookie));
		const removed = track(peer(server.url, name, other.cookie));
		await Promise.all([demoted.synced(), removed.synced()]);
		expect(demoted.access()).toBe('write');

		const actorCaller = owner.client.caller;
		let started = Date.now();
		await actorCaller.workspaces.changeRole({ workspaceId, userId: op.user.id, role: 'viewer' });
		// The connection is closed with 4100 and the client comes back read-only.
		await expect.poll(() => demoted.closes.map((c) => c.code), { timeout: 1_000, interval: 10 }).toContain(CloseCode.AccessChanged);
		expect(Date.now() - started).toBeLessThan(1_000);
		await expect.poll(() => demoted.access(), { timeout: 2_000, interval: 10 }).toBe('read');
		// Anything typed now is not stored, and never acknowledged as stored.
		await demoted.synced();
		const acked = demoted.saved();
		demoted.text.insert(0, 'ignored');
		await new Promise((r) => setTimeout(r, 150));
		expect(demoted.saved()).toBe(acked);
		expect(demoted.provider.shouldConnect).toBe(true);

		started = Date.now();
		await actorCaller.workspaces.removeMember({ workspaceId, userId: other.user.id });
		await expect.poll(() => removed.closes.map((c) => c.code), { timeout: 1_000, interval: 10 }).toContain(CloseCode.Forbidden);
		expect(Date.now() - started).toBeLessThan(1_000);
		// A refusal is terminal: the stock client stops trying.
		expect(removed.provider.shouldConnect).toBe(false);
		demoted.destroy();
		removed.destroy();
	});
});

describe('persistence (SPEC Y1, Y3, Y4)', () => {
	it('keeps every acknowledged change across a restart, compacting the log into a snapshot and versions', async () => {
		const owner = await seedUser('persist');
		const workspaceId = owner.workspace!.id;
		const name = briefDocName(workspaceId);
		const cookie = `muster_session=${owner.token}`;
		const { db } = database();
		const first = await startDocServer({ compactAfter: 20, graceMs: 50 });
		const writer = track(peer(first.url, name, cookie));
		await writer.synced();
		for (let i = 0; i < 45; i++) {
			writer.text.insert(writer.text.length, String(i % 10));
			await new Promise((r) => setTimeout(r, 2));
		}
		await writer.allSaved();
		const text = writer.text.toString();
		// The log was folded at least twice; what remains is shorter than the threshold.
		const [snapshot] = await db.select().from(docSnapshots).where(eq(docSnapshots.docName, name));
		expect(snapshot?.throughId).toBeGreaterThan(0);
		// Acknowledgements go out before the compaction a batch may trigger; give it a moment.
		await expect
			.poll(async () => (await db.select({ id: docUpdates.id }).from(docUpdates).where(eq(docUpdates.docName, name))).length)
			.toBeLessThan(20);
		// Compactions this close together keep no version; leaving memory does.
		expect(await db.select().from(docVersions).where(eq(docVersions.docName, name))).toEqual([]);
		writer.destroy();
		await first.close();
		const versions = await db.select().from(docVersions).where(eq(docVersions.docName, name));
		expect(versions).toHaveLength(1);
		expect(versions[0]?.editors).toEqual([owner.user.id]);
		expect(versions[0]?.reason).toBe('compaction');
		// The projection ran: the brief's text is in relational form for server rendering.
		const [projected] = await db.execute<{ body: string }>(sql`select body from briefs where workspace_id = ${workspaceId}`).then((r) => r.rows);
		expect(projected?.body).toBe(text);

		const second = await startDocServer();
		const reader = track(peer(second.url, name, cookie));
		await reader.synced();
		expect(reader.text.toString()).toBe(text);
		reader.destroy();
		await second.close();
	});

	it('restores a version as a new change that every collaborator receives', async () => {
		const owner = await seedUser('restore');
		const workspaceId = owner.workspace!.id;
		const name = briefDocName(workspaceId);
		const cookie = `muster_session=${owner.token}`;
		const a = track(peer(server.url, name, cookie));
		const b = track(peer(server.url, name, cookie));
		await Promise.all([a.synced(), b.synced()]);
		a.text.insert(0, 'Version one.');
		await a.allSaved();
		const { db } = database();
		await server.hub.restore(name, Y.encodeStateAsUpdateV2(a.doc), owner.user.id); // saves "before restore" = version one
		const [v1] = await db.select({ id: docVersions.id }).from(docVersions).where(eq(docVersions.docName, name));
		expect(v1).toBeDefined();
		a.text.delete(0, a.text.length);
		a.text.insert(0, 'Totally different.');
		await a.allSaved();
		await expect.poll(() => b.text.toString()).toBe('Totally different.');

		const viewer = await member('restore-viewer', 'viewer', workspaceId);
		const { client } = await import('../support/identity');
		await expect(client(viewer.auth).caller.documents.restore({ workspaceId, docName: name, versionId: v1!.id })).rejects.toThrow(/does not allow/);

		const listed = await owner.client.caller.documents.versions({ workspaceId, docName: name });
		expect(listed.map((v) => v.id)).toContain(v1!.id);
		expect(listed[0]?.editors[0]?.displayName).toBe('restore');
		// The tRPC route runs on whichever instance; here the test's hub is the one plugged in.
		const { provideLiveDocuments } = await import('../../server/documents/live');
		provideLiveDocuments({ restore: (doc, state, user) => server.hub.restore(doc, state, user) });
		await owner.client.caller.documents.restore({ workspaceId, docName: name, versionId: v1!.id });
		await expect.poll(() => [a.text.toString(), b.text.toString()]).toEqual(['Version one.', 'Version one.']);
		a.destroy();
		b.destroy();
	});

	it('keeps a non-member out of versions', async () => {
		const owner = await seedUser('versions-owner');
		const stranger = await seedUser('versions-stranger');
		const name = briefDocName(owner.workspace!.id);
		await expect(stranger.client.caller.documents.versions({ workspaceId: owner.workspace!.id, docName: name })).rejects.toThrow(/FORBIDDEN|not a member|access/i);
		// A member of another workspace cannot reach this one's document through their own.
		await expect(stranger.client.caller.documents.versions({ workspaceId: stranger.workspace!.id, docName: name })).rejects.toThrow(/No such document/);
	});
});

describe('two instances (SPEC M1–M2)', () => {
	it('converges clients on different instances and catches a late loader up with unpersisted updates', async () => {
		const owner = await seedUser('two');
		const name = briefDocName(owner.workspace!.id);
		const cookie = `muster_session=${owner.token}`;
		// A long batch window: the first instance holds its updates in memory for a while.
		const slow = await startDocServer({ batchMs: 1_000 });
		const other = await startDocServer();
		try {
			const early = track(peer(slow.url, name, cookie));
			await early.synced();
			early.text.insert(0, 'not yet stored');
			await new Promise((r) => setTimeout(r, 50));
			expect(early.saved()).toBeLessThan(early.sent());
			const late = track(peer(other.url, name, cookie));
			await late.synced();
			await expect.poll(() => late.text.toString(), { timeout: 900 }).toBe('not yet stored');

			const many = Array.from({ length: 6 }, (_, i) => track(peer(i % 2 ? slow.url : other.url, name, cookie)));
			await Promise.all(many.map((c) => c.synced()));
			many.forEach((c, i) => c.text.insert(0, `<${i}>`));
			const all = [early, late, ...many];
			await expect.poll(() => new Set(all.map((c) => c.text.toString())).size).toBe(1);
			expect(early.text.toString()).toHaveLength('not yet stored'.length + 18);
			// Awareness crosses instances too.
			early.provider.awareness.setLocalStateField('user', { name: 'early' });
			await expect.poll(() => [...late.provider.awareness.getStates().values()].some((s) => (s as { user?: { name: string } }).user?.name === 'early')).toBe(true);
			for (const c of all) await c.allSaved();
			all.forEach((c) => c.destroy());
		} finally {
			await slow.close();
			await other.close();
		}
	});
});
