import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queue } from '../../jobs/connection';
import { startWorkers, type WorkerPool } from '../../jobs/workers';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { database } from '../../server/db';
import { dryRunInputForCrusade, firstSendStep, parseRunSource } from '../../server/dryrun/from-crusade';
import { dryRunInputSchema } from '../../server/dryrun/input';
import { DEFAULT_MESSAGING_SETTINGS, updateMessagingSettings } from '../../server/messaging/settings';
import { refusal, seedMember } from '../support/access';
import { publishSeededCrusade, seedCrusade, seedPublishedCampaign, seedSenders, SEED_BODY, WEEK_9_TO_5 } from '../support/crusades';
import { seedUser } from '../support/identity';
import { seedDryRunWorkspace } from './dryrun-fixtures';

/**
 * A crusade mapped onto the dry-run's input (dryrun/from-crusade.ts) and `dryrun.startForCrusade`:
 * the frozen campaign's audience and first send, the schedule and budgets, the inventory's active
 * numbers, the version hash as seed; the domain errors; who may start and read.
 */

let workers: WorkerPool | undefined;
let owner: Awaited<ReturnType<typeof seedUser>>;
let workspaceId: string;
let crusadeId: string;
let campaignId: string;
let versionHash: string;

// The fixtures' leads; the run's "now" is the job's start, so the crusade runs in the future.
const startsAt = new Date(Date.now() + 24 * 3600_000).toISOString();
const endsAt = new Date(Date.now() + 15 * 24 * 3600_000).toISOString();

beforeAll(async () => {
	await bootstrap(config());
	({ owner, workspaceId } = await seedDryRunWorkspace('dryrun-crusade'));
	const { db } = database();
	({ campaignId } = await seedPublishedCampaign(db, workspaceId, { name: 'Sellers', vertical: 'solar' }));
	await seedSenders(db, workspaceId, [
		{ e164: '+12125550100', providerAccount: 'acct', brandId: 'B1', campaignId: 'C1', areaCode: '212', state: 'NY' },
		{ e164: '+13055550100', providerAccount: 'acct', brandId: 'B2', campaignId: 'C2', areaCode: '305', state: 'FL', status: 'paused' }
	]);
	crusadeId = await seedCrusade(db, workspaceId, { campaignIds: [campaignId], schedule: { startsAt, endsAt, windows: WEEK_9_TO_5 }, budgets: { jitterSeconds: 10 } });
	versionHash = (await publishSeededCrusade(db, workspaceId, crusadeId, owner.user.id)).hash;
	workers = await startWorkers(pino({ level: 'silent' }));
});

afterAll(async () => {
	await workers?.close(2_000);
	await queue('dryrun').obliterate({ force: true });
});

describe('a crusade as a dry-run input', () => {
	it('maps the published version: campaign content, schedule, budgets, active senders, vertical, seed', async () => {
		const input = dryRunInputSchema.parse(await dryRunInputForCrusade(database().db, workspaceId, crusadeId, 1));
		expect(input.source).toBe(`crusade:${crusadeId}@v1`);
		expect(parseRunSource(input.source)).toEqual({ crusadeId, version: 1 });
		expect(input.seed).toBe(versionHash);
		expect(input.vertical).toBe('solar');
		expect(input.requireConsent).toBe(true);
		expect(input.schedule).toMatchObject({ startsAt, endsAt, skipHolidays: false });
		expect(input.schedule.windows.tue).toEqual([{ start: '09:00', end: '17:00' }]);
		expect(input.budgets.jitterSeconds).toBe(10);
		expect(input.campaigns).toEqual([
			expect.objectContaining({ id: campaignId, name: 'Sellers', channel: 'sms', vertical: 'solar', audience: {}, firstStep: { id: 'n-send', type: 'send_message', config: { body: SEED_BODY } } })
		]);
		// Paused numbers never send.
		expect(input.senders.map((s) => s.e164)).toEqual(['+12125550100']);
	});

	it("applies the workspace's messaging settings: consent policy and sender and company names", async () => {
		const other = await seedUser('crusade-settings');
		const ws = other.workspace?.id ?? '';
		const { db } = database();
		const { campaignId: cid } = await seedPublishedCampaign(db, ws);
		const id = await seedCrusade(db, ws, { campaignIds: [cid], schedule: { startsAt, endsAt, windows: WEEK_9_TO_5 } });
		await updateMessagingSettings(db, ws, other.user.id, { optOutPolicy: DEFAULT_MESSAGING_SETTINGS.optOutPolicy, requireConsent: false, senderName: 'Ava', companyName: 'Acme Homes' });
		const input = await dryRunInputForCrusade(db, ws, id, 'draft');
		expect(input.requireConsent).toBe(false);
		expect(input.campaigns[0]).toMatchObject({ senderName: 'Ava', companyName: 'Acme Homes' });
		// No numbers in this workspace: the run is not refused (every would-send shows no_sender).
		expect(input.senders).toEqual([]);
	});

	it('maps the draft too, seeded by the draft hash; a draft with issues and a missing version are refused in words', async () => {
		const draft = await dryRunInputForCrusade(database().db, workspaceId, crusadeId, 'draft');
		expect(draft.source).toBe(`crusade:${crusadeId}@draft`);
		expect(draft.seed).toBe(versionHash); // nothing changed since publishing
		const empty = await seedCrusade(database().db, workspaceId, { campaignIds: [], schedule: { startsAt, endsAt, windows: WEEK_9_TO_5 } });
		await expect(dryRunInputForCrusade(database().db, workspaceId, empty, 'draft')).rejects.toThrow(/Add at least one campaign/);
		await expect(dryRunInputForCrusade(database().db, workspaceId, empty, 1)).rejects.toThrow(/no published version/);
		await expect(dryRunInputForCrusade(database().db, workspaceId, crusadeId, 7)).rejects.toThrow(/No such version/);
	});

	it('finds the first send through steps that send nothing', () => {
		const nodes = [
			{ id: 'a', type: 'start', config: {} },
			{ id: 'b', type: 'wait', config: {} },
			{ id: 'c', type: 'send_message', config: { body: 'x' } },
			{ id: 'd', type: 'send_message', config: { body: 'later' } }
		];
		const edges = [
			{ id: '1', source: 'a', target: 'b', sourceHandle: null },
			{ id: '2', source: 'b', target: 'c', sourceHandle: null },
			{ id: '3', source: 'c', target: 'd', sourceHandle: null }
		];
		expect(firstSendStep({ nodes, edges })?.id).toBe('c');
		expect(firstSendStep({ nodes: nodes.slice(0, 2), edges: edges.slice(0, 1) })).toBeNull();
	});
});

describe('dryrun.startForCrusade', () => {
	it('an operator starts one from the published version; it runs; the crusade lists it', async () => {
		const operator = await seedMember(workspaceId, 'crusade-run-operator', 'operator');
		const started = await operator.client.caller.dryrun.startForCrusade({ workspaceId, crusadeId, version: 1 });
		expect(started.source).toBe(`crusade:${crusadeId}@v1`);
		await expect
			.poll(async () => (await owner.client.caller.dryrun.get({ workspaceId, runId: started.id })).status, { timeout: 30_000, interval: 100 })
			.toBe('completed');
		const run = await owner.client.caller.dryrun.get({ workspaceId, runId: started.id });
		// Ten crafted leads: the same SQL reasons as the engine tests, and Ann is texted from the NY number.
		expect(run).toMatchObject({ total: 10 });
		expect(run.reasonCounts).toMatchObject({ dnc: 2, no_consent: 2, landline: 2, invalid_phone: 1, no_phone: 1 });
		expect(run.wouldSend).toBeGreaterThanOrEqual(1);
		const sent = await owner.client.caller.dryrun.results({ workspaceId, runId: run.id, outcome: 'send' });
		expect(sent.rows.every((r) => r.senderE164 === '+12125550100')).toBe(true);
		// The explanation renders the message again from the frozen campaign (the results keep the variant's key).
		const ann = sent.rows.find((r) => r.fullName === 'Ann Sender');
		const explained = await owner.client.caller.dryrun.explain({ workspaceId, runId: run.id, leadId: ann!.leadId });
		expect(explained.message).toEqual({ campaignId, campaignName: 'Sellers', body: expect.stringMatching(/^(Hi|Hello) Ann, is your place still for sale\? Reply STOP to opt out\.$/) });
		const blocked = (await owner.client.caller.dryrun.results({ workspaceId, runId: run.id, reason: 'dnc' })).rows[0]!;
		expect((await owner.client.caller.dryrun.explain({ workspaceId, runId: run.id, leadId: blocked.leadId })).message).toBeNull();

		const listed = await owner.client.caller.dryrun.list({ workspaceId, crusadeId });
		expect(listed.map((r) => r.id)).toContain(started.id);
		const other = await seedCrusade(database().db, workspaceId, { campaignIds: [campaignId], schedule: { startsAt, endsAt, windows: WEEK_9_TO_5 } });
		expect(await owner.client.caller.dryrun.list({ workspaceId, crusadeId: other })).toEqual([]);
	});

	it('a viewer reads runs but may not start one; a non-member is refused everything', async () => {
		const viewer = await seedMember(workspaceId, 'crusade-run-viewer', 'viewer');
		expect((await refusal(viewer.client.caller.dryrun.startForCrusade({ workspaceId, crusadeId, version: 1 }))).code).toBe('FORBIDDEN');
		expect((await viewer.client.caller.dryrun.list({ workspaceId, crusadeId })).length).toBeGreaterThan(0);
		const stranger = await seedUser('crusade-run-stranger');
		const refused = await refusal(stranger.client.caller.dryrun.startForCrusade({ workspaceId, crusadeId, version: 1 }));
		expect(['FORBIDDEN', 'NOT_FOUND']).toContain(refused.code);
		expect(['FORBIDDEN', 'NOT_FOUND']).toContain((await refusal(stranger.client.caller.dryrun.list({ workspaceId, crusadeId }))).code);
	});

	it('an unpublished crusade is refused with what to do', async () => {
		const fresh = await seedCrusade(database().db, workspaceId, { campaignIds: [campaignId], schedule: { startsAt, endsAt, windows: WEEK_9_TO_5 } });
		const refused = await refusal(owner.client.caller.dryrun.startForCrusade({ workspaceId, crusadeId: fresh, version: 1 }));
		expect(refused).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/publish it, or dry-run the draft/) });
		const draftRun = await owner.client.caller.dryrun.startForCrusade({ workspaceId, crusadeId: fresh, version: 'draft' });
		expect(draftRun.source).toBe(`crusade:${fresh}@draft`);
	});
});
