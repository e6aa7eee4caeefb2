import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { campaigns, dryRuns, leadImports, savedFilters } from '../../db/schema/index';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { database } from '../../server/db';
import { createCampaign } from '../../server/campaigns/service';
import { refreshCrusades } from '../../server/crusades/service';
import { audienceCount, AUDIENCE_TTL_MS, forgetAudienceCounts } from '../../server/overview/audience';
import { refusal, seedMember } from '../support/access';
import { publishSeededCrusade, seedCrusade, seedPublishedCampaign, seedSenders, WEEK_9_TO_5 } from '../support/crusades';
import { seedUser } from '../support/identity';
import { seedLeads } from '../support/leads';

/**
 * The live grid's snapshot over tRPC (`overview.get`): each stage's figures against a
 * workspace seeded with known contents, the newest dry-run per crusade, stages asked for
 * alone, audience counts cached and forgotten, and who may read it.
 */

let owner: Awaited<ReturnType<typeof seedUser>>;
let workspaceId: string;
let crusadeId: string;
let newestRunId: string;

const PEOPLE = [
	{ firstName: 'Maria', lastName: 'Gonzalez', state: 'TX', phones: [{ e164: '+15125550101', type: 'mobile' as const }] },
	{ firstName: 'James', lastName: 'Whitfield', state: 'TX', phones: [{ e164: '+12145550102', type: 'mobile' as const }] },
	{ firstName: 'Aisha', lastName: 'Khan', state: 'FL', phones: [{ e164: '+13055550103', type: 'mobile' as const }] }
];

beforeAll(async () => {
	await bootstrap(config());
	const { db } = database();
	owner = await seedUser('overview');
	workspaceId = owner.workspace!.id;
	await seedLeads(db, workspaceId, PEOPLE, { fileName: 'sellers.csv', userId: owner.user.id });
	await db.insert(leadImports).values({ workspaceId, fileName: 'running.csv', fileSize: 2048, uploadId: `ov-${crypto.randomUUID()}`, status: 'running', rowsRead: 10, createdBy: owner.user.id });
	await db.insert(leadImports).values({ workspaceId, fileName: 'waiting.csv', fileSize: 10, uploadId: `ov-${crypto.randomUUID()}`, status: 'uploaded' });

	// One published campaign (its draft equals version 1) sending to Texas, and one draft.
	const { campaignId, hash } = await seedPublishedCampaign(db, workspaceId, { name: 'Texas sellers', filter: { states: ['TX'] } });
	const [filter] = await db.select({ id: savedFilters.id }).from(savedFilters).where(eq(savedFilters.workspaceId, workspaceId));
	await db.update(campaigns).set({ draftHash: hash, audienceFilterId: filter!.id }).where(eq(campaigns.id, campaignId));
	const draft = await createCampaign(db, { userId: owner.user.id, label: 'test', ip: '127.0.0.1', userAgent: 'test' }, workspaceId, { name: 'Solar draft' });
	await db.update(campaigns).set({ errorCount: 2 }).where(eq(campaigns.id, draft.id));

	await seedSenders(db, workspaceId, [
		{ e164: '+14155550100', providerAccount: 'acct', brandId: 'BACME', campaignId: 'C1', areaCode: '415', state: 'CA', dailyCap: 100 },
		{ e164: '+14155550101', providerAccount: 'acct', brandId: 'BACME', campaignId: 'C1', areaCode: '415', state: 'CA' },
		{ e164: '+13055550100', providerAccount: 'acct', brandId: 'BSOLAR', campaignId: 'C2', areaCode: '305', state: 'FL', status: 'paused', dailyCap: 50 }
	]);

	const startsAt = new Date(Date.now() + 24 * 3600_000).toISOString();
	const endsAt = new Date(Date.now() + 10 * 24 * 3600_000).toISOString();
	crusadeId = await seedCrusade(db, workspaceId, { name: 'Spring push', campaignIds: [campaignId], schedule: { startsAt, endsAt, windows: WEEK_9_TO_5 } });
	await refreshCrusades(db, workspaceId, [crusadeId]);
	await publishSeededCrusade(db, workspaceId, crusadeId, owner.user.id);
	const run = (at: string, wouldSend: number) => ({ workspaceId, source: `crusade:${crusadeId}@v1`, input: {}, status: 'completed' as const, total: wouldSend + 1, done: wouldSend + 1, wouldSend, blocked: 1, createdAt: new Date(at) });
	await db.insert(dryRuns).values(run('2026-01-01T00:00:00Z', 1));
	const [newest] = await db.insert(dryRuns).values(run('2026-02-01T00:00:00Z', 2)).returning({ id: dryRuns.id });
	newestRunId = newest!.id;
	// A run of a raw input, not of a crusade, belongs to no crusade.
	await db.insert(dryRuns).values({ workspaceId, source: null, input: {}, status: 'queued' });
});

describe('overview.get', () => {
	it('files: running imports first, totals over every file', async () => {
		const { files } = await owner.client.caller.overview.get({ workspaceId });
		expect(files?.totals).toEqual({ files: 3, active: 1, waiting: 1, failed: 0, rowsRead: 13, leadsCreated: 3 });
		expect(files?.items.map((i) => i.fileName)).toEqual(['running.csv', 'waiting.csv', 'sellers.csv']);
		expect(files?.items[2]).toMatchObject({ status: 'completed', startedByName: 'overview', startedById: owner.user.id, balanced: true });
	});

	it('campaigns: publication, issues and the audience counted from its saved filter', async () => {
		const { campaigns: stage } = await owner.client.caller.overview.get({ workspaceId, stages: ['campaigns'] });
		expect(stage?.totals).toEqual({ campaigns: 2, published: 1, changed: 0, drafts: 1, withIssues: 1 });
		const byName = new Map(stage?.items.map((i) => [i.name, i]));
		expect(byName.get('Texas sellers')).toMatchObject({ publication: 'published', version: 1, errors: 0, audience: { valid: true, leads: { count: 2, capped: false } } });
		expect(byName.get('Solar draft')).toMatchObject({ publication: 'draft', version: null, errors: 2, audience: null });
	});

	it('numbers: counts by status, the active pool per brand and its daily capacity', async () => {
		const { numbers } = await owner.client.caller.overview.get({ workspaceId, stages: ['numbers'] });
		expect(numbers).toEqual({
			totals: { numbers: 3, active: 2, paused: 1, blocked: 0 },
			capacity: { dailyCap: 100, uncapped: 1 },
			brands: [
				{ brandId: 'BACME', active: 2, total: 2, dailyCap: 100, uncapped: 1 },
				{ brandId: 'BSOLAR', active: 0, total: 1, dailyCap: 0, uncapped: 0 }
			]
		});
	});

	it('crusades: schedule phase, published version and the newest dry-run of each', async () => {
		const { crusades } = await owner.client.caller.overview.get({ workspaceId, stages: ['crusades'] });
		expect(crusades?.totals).toEqual({ crusades: 1, published: 1, live: 0, withIssues: 0 });
		expect(crusades?.items).toEqual([
			expect.objectContaining({ id: crusadeId, name: 'Spring push', phase: 'upcoming', publication: 'published', version: 1, campaigns: 1, lastRun: expect.objectContaining({ id: newestRunId, version: 1, status: 'completed', wouldSend: 2, blocked: 1 }) })
		]);
	});

	it('answers only the stages asked for', async () => {
		const snapshot = await owner.client.caller.overview.get({ workspaceId, stages: ['numbers', 'files'] });
		expect(Object.keys(snapshot).sort()).toEqual(['at', 'files', 'numbers']);
		expect((await refusal(owner.client.caller.overview.get({ workspaceId, stages: ['leads' as 'files'] }))).code).toBe('BAD_REQUEST');
	});

	it('an empty workspace has empty stages, not errors', async () => {
		const other = await seedUser('overview-empty');
		const snapshot = await other.client.caller.overview.get({ workspaceId: other.workspace!.id });
		expect(snapshot.files?.items).toEqual([]);
		expect(snapshot.campaigns?.totals.campaigns).toBe(0);
		expect(snapshot.numbers?.brands).toEqual([]);
		expect(snapshot.crusades?.items).toEqual([]);
	});

	it('a viewer may read it; someone outside the workspace is refused', async () => {
		const viewer = await seedMember(workspaceId, 'overview-viewer', 'viewer');
		expect((await viewer.client.caller.overview.get({ workspaceId, stages: ['numbers'] })).numbers?.totals.active).toBe(2);
		const outsider = await seedUser('overview-outsider');
		expect(await refusal(outsider.client.caller.overview.get({ workspaceId }))).toEqual({ code: 'FORBIDDEN', message: 'You are not a member of this workspace.' });
	});
});

describe('audience counts', () => {
	it('are kept for AUDIENCE_TTL_MS, and forgotten when the workspace is told its leads changed', async () => {
		const { db } = database();
		const texas = { states: ['TX'] };
		forgetAudienceCounts(workspaceId);
		expect(await audienceCount(db, workspaceId, texas, 1_000)).toEqual({ count: 2, capped: false });
		await seedLeads(db, workspaceId, [{ firstName: 'Tom', lastName: 'Oakley', state: 'TX' }]);
		expect(await audienceCount(db, workspaceId, texas, 2_000)).toEqual({ count: 2, capped: false });
		expect(await audienceCount(db, workspaceId, texas, 1_000 + AUDIENCE_TTL_MS)).toEqual({ count: 3, capped: false });
		await seedLeads(db, workspaceId, [{ firstName: 'Grace', lastName: 'Liu', state: 'TX' }]);
		forgetAudienceCounts(workspaceId);
		expect(await audienceCount(db, workspaceId, texas, 1_000 + AUDIENCE_TTL_MS)).toEqual({ count: 4, capped: false });
	});
});
