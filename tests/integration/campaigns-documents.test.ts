import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eq, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { auditLog, campaigns, crusadeCampaigns, crusades, memberships, savedFilters } from '../../db/schema/index';
import { CloseCode } from '../../realtime/protocol/close-codes';
import { bootstrap } from '../../server/bootstrap';
import { canonicalJson, contentHash } from '../../server/campaigns/canonical';
import { config } from '../../server/config';
import { database } from '../../server/db';
import { storedDocument } from '../../server/documents/stored';
import { registry } from '../../server/metrics';
import { WeekWindowsWriter } from '../../app/lib/components/crusade/week-windows-map';
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

const OPT_OUT = 'Hi {{first_name|there}}, thinking of selling? Reply STOP to opt out';

function connect(docName: string, token: string, options: { acks?: boolean } = {}): TestPeer {
	const p = peer(server.url, docName, `muster_session=${token}`, options);
	peers.push(p);
	return p;
}

function closeOf(docName: string, token: string): Promise<{ code: number; reason: string }> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(`${server.url.replace('http', 'ws')}/yjs/${docName}`, { headers: { cookie: `muster_session=${token}` } });
		ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
		ws.on('error', reject);
	});
}

async function member(label: string, role: 'operator' | 'viewer', workspaceId: string) {
	const seeded = await seedUser(label, { workspace: false });
	await database().db.insert(memberships).values({ workspaceId, userId: seeded.user.id, role });
	return seeded;
}

async function savedFilter(workspaceId: string): Promise<string> {
	const [row] = await database()
		.db.insert(savedFilters)
		.values({ workspaceId, name: `Sellers ${randomUUID().slice(0, 8)}`, filter: { tags: ['seller'] } })
		.returning({ id: savedFilters.id });
	return row!.id;
}

async function campaignRow(id: string) {
	const [row] = await database().db.select().from(campaigns).where(eq(campaigns.id, id));
	return row!;
}

/** Writes a node the way the canvas would: a nested Y.Map, so teammates edit fields independently. */
function putNode(doc: Y.Doc, id: string, type: string, config: Record<string, unknown> = {}) {
	const node = new Y.Map<unknown>();
	node.set('type', type);
	node.set('position', { x: 0, y: 0 });
	node.set('config', new Y.Map(Object.entries(config)));
	doc.getMap('nodes').set(id, node);
}

function putEdge(doc: Y.Doc, source: string, target: string) {
	doc.getMap('edges').set(`${source}>${target}`, { source, target });
}

/** A complete, valid campaign: meta, start → first text (with opt-out wording). */
function fillValidCampaign(doc: Y.Doc, filterId: string, meta: { vertical: string; channel: 'sms' | 'mms' }) {
	doc.transact(() => {
		const map = doc.getMap('meta');
		map.set('vertical', meta.vertical);
		map.set('channel', meta.channel);
		map.set('audienceFilterId', filterId);
		putNode(doc, 'start', 'start');
		putNode(doc, 'first', 'send_message', { body: OPT_OUT });
		putEdge(doc, 'start', 'first');
	});
}

/** A campaign valid but for its graph: start → send, no opt-out wording, not connected. */
async function campaignWithStockClient(token: string, workspaceId: string, caller: Awaited<ReturnType<typeof seedUser>>['client']['caller']) {
	const created = await caller.campaigns.create({ workspaceId, name: 'Spring sellers' });
	expect(created.docName).toBe(`campaign:${created.id}`);
	const stock = connect(created.docName, token, { acks: false });
	await stock.synced();
	const filterId = await savedFilter(workspaceId);
	stock.doc.transact(() => {
		const meta = stock.doc.getMap('meta');
		meta.set('vertical', 'real estate');
		meta.set('channel', 'sms');
		meta.set('audienceFilterId', filterId);
		putNode(stock.doc, 'start', 'start');
		putNode(stock.doc, 'first', 'send_message', { body: 'Hi there' });
	});
	return { ...created, stock, filterId };
}

describe('canonical content', () => {
	it('hashes the same content the same whatever the key order, and different content differently', () => {
		expect(canonicalJson({ b: [1, { d: null, c: 'x' }], a: true, skip: undefined })).toBe('{"a":true,"b":[1,{"c":"x","d":null}]}');
		expect(contentHash({ a: 1, b: { c: 2, d: 3 } })).toBe(contentHash({ b: { d: 3, c: 2 }, a: 1 }));
		expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: '1' }));
	});
});

describe('campaign documents (issue 6: projection)', () => {
	it('the stock client edits a campaign; the projection writes live issues, then none once valid', async () => {
		const owner = await seedUser('camp-proj');
		const workspaceId = owner.workspace!.id;
		const { id, stock, filterId } = await campaignWithStockClient(owner.token, workspaceId, owner.client.caller);

		await expect.poll(async () => (await campaignRow(id)).issues.map((i) => i.code).sort(), { timeout: 10_000 }).toEqual(['no_send', 'unreachable']);
		const row = await campaignRow(id);
		expect(row).toMatchObject({ vertical: 'real estate', channel: 'sms', audienceFilterId: filterId, status: 'draft', errorCount: 2 });
		expect(row.issues).toContainEqual(expect.objectContaining({ nodeId: 'first', code: 'unreachable', root: 'nodes' }));

		stock.doc.transact(() => {
			putNode(stock.doc, 'end', 'stop');
			putEdge(stock.doc, 'start', 'first');
			putEdge(stock.doc, 'first', 'end');
		});
		await expect.poll(async () => (await campaignRow(id)).issues, { timeout: 10_000 }).toEqual([
			expect.objectContaining({ nodeId: 'first', field: 'body', code: 'opt_out_missing', root: 'nodes', severity: 'error' })
		]);
		((stock.doc.getMap('nodes').get('first') as Y.Map<unknown>).get('config') as Y.Map<unknown>).set('body', OPT_OUT);
		await expect.poll(async () => (await campaignRow(id)).issues, { timeout: 10_000 }).toEqual([]);
		expect((await campaignRow(id)).errorCount).toBe(0);

		// An invalid meta field is addressed to its root and field.
		stock.doc.getMap('meta').set('channel', 'fax');
		await expect.poll(async () => (await campaignRow(id)).issues, { timeout: 10_000 }).toEqual([
			expect.objectContaining({ root: 'meta', field: 'channel', code: 'invalid_meta', message: 'Choose SMS or MMS.' })
		]);
		expect((await campaignRow(id)).channel).toBeNull();
		stock.destroy();
	});
});

describe('publishing campaigns (issue 6: versions)', () => {
	it('refuses an invalid campaign, freezes a valid one, and hashes content stably', async () => {
		const owner = await seedUser('camp-pub');
		const workspaceId = owner.workspace!.id;
		const { caller } = owner.client;
		const created = await caller.campaigns.create({ workspaceId, name: 'Publish me' });
		const editor = connect(created.docName, owner.token);
		await editor.synced();
		const filterId = await savedFilter(workspaceId);
		editor.doc.transact(() => {
			const meta = editor.doc.getMap('meta');
			meta.set('vertical', 'solar');
			meta.set('channel', 'sms');
			meta.set('audienceFilterId', filterId);
			putNode(editor.doc, 'start', 'start');
		});
		await editor.allSaved();

		const refused = await caller.campaigns.publish({ workspaceId, campaignId: created.id });
		expect(refused).toEqual({ ok: false, issues: [expect.objectContaining({ code: 'no_send', severity: 'error' })] });
		expect(await caller.campaigns.versions({ workspaceId, campaignId: created.id })).toEqual([]);

		editor.doc.transact(() => {
			putNode(editor.doc, 'first', 'send_message', { body: OPT_OUT });
			putEdge(editor.doc, 'start', 'first');
		});
		await editor.allSaved();
		expect((await caller.campaigns.get({ workspaceId, campaignId: created.id })).unpublishedChanges).toBe(true);

		const first = await caller.campaigns.publish({ workspaceId, campaignId: created.id });
		if (!first.ok) throw new Error('expected a version');
		expect(first).toMatchObject({ created: true, version: { number: 1, publishedBy: owner.user.id } });
		expect(first.version.hash).toMatch(/^[0-9a-f]{64}$/);
		const v1 = await caller.campaigns.version({ workspaceId, campaignId: created.id, number: 1 });
		expect(v1.content).toMatchObject({ vertical: 'solar', channel: 'sms', audience: { filterId, filter: { tags: ['seller'] } } });
		expect(v1.content.nodes.map((n) => n.id)).toEqual(['first', 'start']);

		// Same content: nothing new, same hash; not "changes not published".
		const again = await caller.campaigns.publish({ workspaceId, campaignId: created.id });
		expect(again).toEqual({ ok: true, created: false, version: first.version });
		const got = await caller.campaigns.get({ workspaceId, campaignId: created.id });
		expect(got).toMatchObject({ status: 'published', unpublishedChanges: false, latestVersion: { number: 1, hash: first.version.hash } });

		// Layout is not content: moving a node changes nothing published.
		(editor.doc.getMap('nodes').get('first') as Y.Map<unknown>).set('position', { x: 300, y: 40 });
		await editor.allSaved();
		expect((await caller.campaigns.get({ workspaceId, campaignId: created.id })).unpublishedChanges).toBe(false);

		const body = () => (editor.doc.getMap('nodes').get('first') as Y.Map<unknown>).get('config') as Y.Map<unknown>;
		body().set('body', `${OPT_OUT}!`);
		await editor.allSaved();
		expect((await caller.campaigns.get({ workspaceId, campaignId: created.id })).unpublishedChanges).toBe(true);
		const second = await caller.campaigns.publish({ workspaceId, campaignId: created.id });
		if (!second.ok) throw new Error('expected a version');
		expect(second.version.number).toBe(2);
		expect(second.version.hash).not.toBe(first.version.hash);
		// The projection's flag in the list catches up after persistence.
		await expect.poll(async () => (await caller.campaigns.list({ workspaceId })).map((c) => c.unpublishedChanges), { timeout: 10_000 }).toEqual([false]);

		// Back to the first content (field set in another order): the hash is version 1's again.
		body().set('body', OPT_OUT);
		await editor.allSaved();
		const third = await caller.campaigns.publish({ workspaceId, campaignId: created.id });
		if (!third.ok) throw new Error('expected a version');
		expect(third.version).toMatchObject({ number: 3, hash: first.version.hash });

		const audited = await database().db.select().from(auditLog).where(sql`${auditLog.targetId} = ${created.id} and ${auditLog.action} = 'campaign.published'`);
		expect(audited.map((a) => a.data)).toEqual([1, 2, 3].map((n) => expect.objectContaining({ number: n })));
		editor.destroy();
	});

	it('versions cannot be updated or deleted, by anyone (trigger)', async () => {
		const { db } = database();
		const owner = await seedUser('camp-immutable');
		const workspaceId = owner.workspace!.id;
		const { caller } = owner.client;
		const created = await caller.campaigns.create({ workspaceId, name: 'Frozen' });
		const editor = connect(created.docName, owner.token);
		await editor.synced();
		const filterId = await savedFilter(workspaceId);
		fillValidCampaign(editor.doc, filterId, { vertical: 'insurance', channel: 'mms' });
		await editor.allSaved();
		// Two publishes at once: one version, the other sees it (same hash) instead of racing for n+1.
		const both = await Promise.all([0, 1].map(() => caller.campaigns.publish({ workspaceId, campaignId: created.id })));
		expect(both.map((r) => (r.ok ? r.created : null)).sort()).toEqual([false, true]);
		await expect(db.execute(sql`update campaign_versions set hash = 'x' where campaign_id = ${created.id}`)).rejects.toMatchObject({ cause: { code: '42501', message: expect.stringMatching(/immutable/) } });
		await expect(db.execute(sql`delete from campaign_versions where campaign_id = ${created.id}`)).rejects.toMatchObject({ cause: { code: '42501', message: expect.stringMatching(/immutable/) } });
		expect(await caller.campaigns.versions({ workspaceId, campaignId: created.id })).toHaveLength(1);

		// Deleting a published campaign archives it: the versions stay, the document closes.
		expect(await caller.campaigns.delete({ workspaceId, campaignId: created.id })).toEqual({ outcome: 'archived' });
		expect(await caller.campaigns.list({ workspaceId })).toEqual([]);
		editor.destroy();
		expect((await closeOf(created.docName, owner.token)).code).toBe(CloseCode.UnknownDocument);
		// A never-published one is simply deleted.
		const scratch = await caller.campaigns.create({ workspaceId, name: 'Scratch' });
		expect(await caller.campaigns.delete({ workspaceId, campaignId: scratch.id })).toEqual({ outcome: 'deleted' });
	});
});

describe('shared text fields (issue 6: Y.Text in a node config)', () => {
	it('reads a Y.Text as its string: converting keeps the hash; two clients typing at once both land', async () => {
		const owner = await seedUser('camp-text');
		const workspaceId = owner.workspace!.id;
		const { caller } = owner.client;
		const created = await caller.campaigns.create({ workspaceId, name: 'Typed together' });
		const ana = connect(created.docName, owner.token);
		await ana.synced();
		// An older document: the message is a plain string.
		fillValidCampaign(ana.doc, await savedFilter(workspaceId), { vertical: 'solar', channel: 'sms' });
		await ana.allSaved();
		const first = await caller.campaigns.publish({ workspaceId, campaignId: created.id });
		if (!first.ok) throw new Error('expected a version');

		const config = (doc: Y.Doc) => (doc.getMap('nodes').get('first') as Y.Map<unknown>).get('config') as Y.Map<unknown>;
		ana.doc.transact(() => config(ana.doc).set('body', new Y.Text(OPT_OUT)));
		await ana.allSaved();
		// The same words as a Y.Text are the same content: nothing to publish.
		expect((await caller.campaigns.get({ workspaceId, campaignId: created.id })).unpublishedChanges).toBe(false);

		const ben = connect(created.docName, owner.token, { acks: false });
		await ben.synced();
		const body = (doc: Y.Doc) => config(doc).get('body') as Y.Text;
		await expect.poll(() => body(ben.doc)?.toString()).toBe(OPT_OUT);
		// Both type before either hears of the other; last-writer-wins would keep one of them.
		body(ana.doc).insert(0, 'Hello! ');
		body(ben.doc).insert(OPT_OUT.length, '. Thanks');
		const expected = `Hello! ${OPT_OUT}. Thanks`;
		for (const person of [ana, ben]) await expect.poll(() => body(person.doc).toString(), { timeout: 10_000 }).toBe(expected);
		await ana.allSaved();

		await expect.poll(async () => (await campaignRow(created.id)).issues, { timeout: 10_000 }).toEqual([]);
		const second = await caller.campaigns.publish({ workspaceId, campaignId: created.id });
		if (!second.ok) throw new Error('expected a version');
		const v2 = await caller.campaigns.version({ workspaceId, campaignId: created.id, number: 2 });
		expect(v2.content.nodes.find((n) => n.id === 'first')?.config).toMatchObject({ body: expected });

		// An emptied Y.Text is an empty message: the step schema says so, addressed to the field.
		body(ana.doc).delete(0, body(ana.doc).length);
		await expect.poll(async () => (await campaignRow(created.id)).issues, { timeout: 10_000 }).toContainEqual(
			expect.objectContaining({ nodeId: 'first', field: 'body', message: 'Write the message.' })
		);
		ana.destroy();
		ben.destroy();
	});
});

describe('the workspace opt-out rule (Messaging settings)', () => {
	it('publish applies the workspace policy: custom wording counts, the default wording no longer does', async () => {
		const owner = await seedUser('camp-policy');
		const workspaceId = owner.workspace!.id;
		const { caller } = owner.client;
		const created = await caller.campaigns.create({ workspaceId, name: 'Policy' });
		const editor = connect(created.docName, owner.token);
		await editor.synced();
		fillValidCampaign(editor.doc, await savedFilter(workspaceId), { vertical: 'solar', channel: 'sms' });
		await editor.allSaved();
		// Under the default rule the first text says "Reply STOP to opt out": valid.
		expect((await caller.campaigns.get({ workspaceId, campaignId: created.id })).errorCount).toBe(0);

		await caller.messaging.updateSettings({
			workspaceId,
			optOutPolicy: { appliesTo: 'first_send', phrases: ['Text QUIT to leave'], patterns: [] },
			requireConsent: true,
			senderName: null,
			companyName: null
		});
		const refused = await caller.campaigns.publish({ workspaceId, campaignId: created.id });
		expect(refused.ok).toBe(false);
		expect(!refused.ok && refused.issues.map((i) => i.code)).toContain('opt_out_missing');

		const config = (editor.doc.getMap('nodes').get('first') as Y.Map<unknown>).get('config') as Y.Map<unknown>;
		config.set('body', 'Hi {{first_name|there}}, thinking of selling? Text QUIT to leave');
		await editor.allSaved();
		expect((await caller.campaigns.publish({ workspaceId, campaignId: created.id })).ok).toBe(true);
		editor.destroy();
	});
});

describe('crusade documents (issue 6)', () => {
	it('the stock client edits a crusade; it validates, projects and freezes its campaigns’ published versions', async () => {
		const owner = await seedUser('crusade');
		const workspaceId = owner.workspace!.id;
		const { caller } = owner.client;
		const camp = await caller.campaigns.create({ workspaceId, name: 'In a crusade' });
		const campaignEditor = connect(camp.docName, owner.token);
		await campaignEditor.synced();
		const filterId = await savedFilter(workspaceId);
		fillValidCampaign(campaignEditor.doc, filterId, { vertical: 'solar', channel: 'sms' });
		await campaignEditor.allSaved();

		const created = await caller.crusades.create({ workspaceId, name: 'Q2 push' });
		expect(created.docName).toBe(`crusade:${created.id}`);
		const stock = connect(created.docName, owner.token, { acks: false });
		await stock.synced();
		stock.doc.transact(() => {
			stock.doc.getArray('campaigns').push([camp.id]);
			const schedule = stock.doc.getMap('schedule');
			schedule.set('startsAt', '2026-12-01T09:00:00-05:00');
			schedule.set('endsAt', '2026-11-01T09:00:00-05:00');
			schedule.set('windows', { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '18:00', end: '10:00' }] });
		});
		const row = async () => (await database().db.select().from(crusades).where(eq(crusades.id, created.id)))[0]!;
		await expect.poll(async () => (await row()).issues.map((i) => [i.root, i.field, i.code]).sort(), { timeout: 10_000 }).toEqual([
			['campaigns', '0', 'campaign_unpublished'],
			['schedule', 'endsAt', 'custom'],
			['schedule', 'windows.tue.0.end', 'custom']
		]);
		expect(await database().db.select().from(crusadeCampaigns).where(eq(crusadeCampaigns.crusadeId, created.id))).toEqual([{ crusadeId: created.id, campaignId: camp.id, position: 0 }]);
		expect(await caller.crusades.publish({ workspaceId, crusadeId: created.id })).toMatchObject({ ok: false, issues: expect.arrayContaining([expect.objectContaining({ code: 'campaign_unpublished' })]) });

		const campaignVersion = await caller.campaigns.publish({ workspaceId, campaignId: camp.id });
		if (!campaignVersion.ok) throw new Error('expected a campaign version');
		stock.doc.transact(() => {
			stock.doc.getMap('schedule').set('endsAt', '2026-12-20T21:00:00-05:00');
			stock.doc.getMap('schedule').set('windows', { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '10:00', end: '18:00' }] });
		});
		await expect.poll(async () => (await row()).errorCount, { timeout: 10_000 }).toBe(0);
		expect(await row()).toMatchObject({ startsAt: new Date('2026-12-01T14:00:00Z'), endsAt: new Date('2026-12-21T02:00:00Z'), schedule: expect.objectContaining({ skipHolidays: false }) });

		const published = await caller.crusades.publish({ workspaceId, crusadeId: created.id });
		if (!published.ok) throw new Error(`expected a crusade version: ${JSON.stringify(published.issues)}`);
		const frozen = await caller.crusades.version({ workspaceId, crusadeId: created.id, number: 1 });
		expect(frozen.content.campaigns).toEqual([{ campaignId: camp.id, versionId: campaignVersion.version.id, number: 1, hash: campaignVersion.version.hash }]);
		expect(frozen.content.budgets).toMatchObject({ perNumberPerMinute: 6 });
		expect(await caller.crusades.get({ workspaceId, crusadeId: created.id })).toMatchObject({ unpublishedChanges: false, campaignIds: [camp.id] });
		expect((await caller.crusades.list({ workspaceId })).map((c) => c.unpublishedChanges)).toEqual([false]);

		// A new campaign version is a change the crusade has not published.
		((campaignEditor.doc.getMap('nodes').get('first') as Y.Map<unknown>).get('config') as Y.Map<unknown>).set('body', `${OPT_OUT}.`);
		await campaignEditor.allSaved();
		expect((await caller.campaigns.publish({ workspaceId, campaignId: camp.id })).ok).toBe(true);
		expect((await caller.crusades.get({ workspaceId, crusadeId: created.id })).unpublishedChanges).toBe(true);
		// …in the projected list too, without anyone touching the crusade's document.
		expect((await caller.crusades.list({ workspaceId })).map((c) => c.unpublishedChanges)).toEqual([true]);

		// The campaign is part of a published crusade: it cannot be deleted.
		await expect(caller.campaigns.delete({ workspaceId, campaignId: camp.id })).rejects.toMatchObject({ code: 'CONFLICT' });
		stock.destroy();
		campaignEditor.destroy();
	});
});

describe('crusade windows (issue 6: first edits at once)', () => {
	it('a new crusade is stored with its days map, so two editors’ first edits on different days both land without converting', async () => {
		const owner = await seedUser('crusade-windows');
		const workspaceId = owner.workspace!.id;
		const created = await owner.client.caller.crusades.create({ workspaceId, name: 'Both days' });
		expect((await storedDocument(database().db, created.docName)).getMap('schedule').get('windows')).toBeInstanceOf(Y.Map);

		const [a, b] = [connect(created.docName, owner.token), connect(created.docName, owner.token)];
		await Promise.all([a.synced(), b.synced()]);
		const seeded = [a, b].map((p) => p.doc.getMap('schedule').get('windows'));
		// Both tabs write before either hears the other, as two people's first edits at once.
		a.provider.disconnect();
		new WeekWindowsWriter(a.doc).set({ mon: [{ start: '09:00', end: '17:00' }] });
		new WeekWindowsWriter(b.doc).set({ tue: [{ start: '10:00', end: '12:00' }] });
		await b.allSaved();
		a.provider.connect();
		await a.allSaved();
		const both = { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '10:00', end: '12:00' }] };
		for (const p of [a, b]) await expect.poll(() => p.doc.getMap('schedule').toJSON().windows).toEqual(both);
		expect([a, b].map((p) => p.doc.getMap('schedule').get('windows'))).toEqual(seeded);
		expect((await storedDocument(database().db, created.docName)).getMap('schedule').toJSON().windows).toEqual(both);
		a.destroy();
		b.destroy();
	});
});

describe('access (SPEC D3–D5; issue 6)', () => {
	it('refuses a non-member at the door (4403) and over tRPC; a viewer reads but cannot write or publish', async () => {
		const owner = await seedUser('camp-access');
		const workspaceId = owner.workspace!.id;
		const stranger = await seedUser('camp-stranger');
		const viewer = await member('camp-viewer', 'viewer', workspaceId);
		const operator = await member('camp-operator', 'operator', workspaceId);
		const camp = await owner.client.caller.campaigns.create({ workspaceId, name: 'Guarded' });
		const crusade = await operator.client.caller.crusades.create({ workspaceId, name: 'Guarded crusade' });

		for (const docName of [camp.docName, crusade.docName]) {
			expect(await closeOf(docName, stranger.token)).toEqual({ code: CloseCode.Forbidden, reason: 'forbidden' });
		}
		const crusadeWriter = connect(crusade.docName, operator.token);
		const crusadeReader = connect(crusade.docName, viewer.token);
		await Promise.all([crusadeWriter.synced(), crusadeReader.synced()]);
		expect(crusadeWriter.access()).toBe('write');
		expect(crusadeReader.access()).toBe('read');
		// A viewer's edit of a crusade is dropped: it reaches neither the teammate nor the store.
		const droppedCount = async () => ((await registry.getSingleMetric('muster_yjs_updates_dropped_total')?.get())?.values ?? []).filter((v) => v.labels.reason === 'read-only').reduce((sum, v) => sum + v.value, 0);
		const droppedBefore = await droppedCount();
		crusadeReader.doc.getMap('schedule').set('startsAt', '2030-01-01T09:00:00Z');
		await expect.poll(droppedCount).toBeGreaterThan(droppedBefore);
		crusadeWriter.doc.getMap('schedule').set('endsAt', '2030-02-01T09:00:00Z');
		await crusadeWriter.allSaved();
		await expect.poll(() => crusadeReader.doc.getMap('schedule').get('endsAt')).toBe('2030-02-01T09:00:00Z');
		const storedCrusade = (await storedDocument(database().db, crusade.docName)).getMap('schedule');
		expect([storedCrusade.get('startsAt'), storedCrusade.get('endsAt')]).toEqual([undefined, '2030-02-01T09:00:00Z']);
		expect(crusadeWriter.doc.getMap('schedule').get('startsAt')).toBeUndefined();
		crusadeWriter.destroy();
		crusadeReader.destroy();
		await expect(stranger.client.caller.campaigns.list({ workspaceId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(stranger.client.caller.crusades.get({ workspaceId, crusadeId: crusade.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		// Another workspace's id through one's own workspace: not found, nothing leaks.
		await expect(stranger.client.caller.campaigns.get({ workspaceId: stranger.workspace!.id, campaignId: camp.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });

		const writer = connect(camp.docName, operator.token);
		const reader = connect(camp.docName, viewer.token);
		await Promise.all([writer.synced(), reader.synced()]);
		expect(writer.access()).toBe('write');
		expect(reader.access()).toBe('read');
		writer.doc.getMap('meta').set('vertical', 'solar');
		await writer.allSaved();
		await expect.poll(() => reader.doc.getMap('meta').get('vertical')).toBe('solar');
		reader.doc.getMap('meta').set('vertical', 'hacked');
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(writer.doc.getMap('meta').get('vertical')).toBe('solar');
		await expect.poll(async () => (await campaignRow(camp.id)).vertical, { timeout: 10_000 }).toBe('solar');

		expect(await viewer.client.caller.campaigns.list({ workspaceId })).toHaveLength(1);
		expect((await viewer.client.caller.crusades.get({ workspaceId, crusadeId: crusade.id })).name).toBe('Guarded crusade');
		for (const attempt of [
			() => viewer.client.caller.campaigns.publish({ workspaceId, campaignId: camp.id }),
			() => viewer.client.caller.crusades.publish({ workspaceId, crusadeId: crusade.id }),
			() => viewer.client.caller.campaigns.create({ workspaceId, name: 'Nope' }),
			() => viewer.client.caller.campaigns.rename({ workspaceId, campaignId: camp.id, name: 'Nope' }),
			() => viewer.client.caller.crusades.delete({ workspaceId, crusadeId: crusade.id })
		]) {
			await expect(attempt()).rejects.toMatchObject({ code: 'FORBIDDEN' });
		}
		await operator.client.caller.campaigns.rename({ workspaceId, campaignId: camp.id, name: 'Renamed' });
		expect((await viewer.client.caller.campaigns.get({ workspaceId, campaignId: camp.id })).name).toBe('Renamed');
		writer.destroy();
		reader.destroy();
	});
});
