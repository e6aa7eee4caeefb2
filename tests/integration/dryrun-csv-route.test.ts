import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { database } from '../../server/db';
import { seedMember } from '../support/access';
import { publishSeededCrusade, seedCrusade, seedPublishedCampaign, seedSenders, WEEK_9_TO_5 } from '../support/crusades';
import { seedUser } from '../support/identity';
import { spawnMuster, type RunningServer } from '../support/spawn-server';
import { envVars } from '../support/test-env';
import { seedDryRunWorkspace } from './dryrun-fixtures';

/**
 * The dry-run CSV download (app/routes/…/crusades/[id]/dry-runs/[runId]/results.csv) on the
 * production server: every result with its reasons as codes and in words, filtered like the
 * table; members only, and a run is found only under its own crusade.
 */

let server: RunningServer;
let owner: Awaited<ReturnType<typeof seedUser>>;
let workspaceId: string;
let crusadeId: string;
let runId: string;

const get = (path: string, token?: string) => fetch(`${server.url}${path}`, { headers: token ? { cookie: `muster_session=${token}` } : {}, redirect: 'manual' });

beforeAll(async () => {
	await bootstrap(config());
	({ owner, workspaceId } = await seedDryRunWorkspace('dryrun-csv'));
	const { db } = database();
	const { campaignId } = await seedPublishedCampaign(db, workspaceId);
	await seedSenders(db, workspaceId, [{ e164: '+12125550100', providerAccount: 'acct', brandId: 'B1', campaignId: 'C1', areaCode: '212', state: 'NY' }]);
	const startsAt = new Date(Date.now() + 24 * 3600_000).toISOString();
	const endsAt = new Date(Date.now() + 15 * 24 * 3600_000).toISOString();
	crusadeId = await seedCrusade(db, workspaceId, { campaignIds: [campaignId], schedule: { startsAt, endsAt, windows: WEEK_9_TO_5 } });
	await publishSeededCrusade(db, workspaceId, crusadeId, owner.user.id);
	// The spawned server runs the dry-run worker.
	server = await spawnMuster({ env: envVars(inject('testEnv')) });
	runId = (await owner.client.caller.dryrun.startForCrusade({ workspaceId, crusadeId, version: 1 })).id;
	for (let waited = 0; (await owner.client.caller.dryrun.get({ workspaceId, runId })).status !== 'completed'; waited += 200) {
		if (waited > 30_000) throw new Error('the dry-run did not complete');
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}, 90_000);

afterAll(async () => {
	if (server && server.proc.exitCode === null) await server.stop('SIGKILL');
});

const path = () => `/w/${owner.workspace?.slug}/crusades/${crusadeId}/dry-runs/${runId}/results.csv`;

describe('the dry-run CSV route', () => {
	it('streams every result, reasons as codes and in words, to a member', async () => {
		const viewer = await seedMember(workspaceId, 'csv-viewer', 'viewer');
		const res = await get(path(), viewer.token);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
		expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="dry-run-[0-9a-f]{8}\.csv"$/);
		const lines = (await res.text()).trim().split('\r\n');
		expect(lines[0]).toBe('lead_id,name,outcome,reasons,phone,zone,slot_at,sender,variant,segments,why');
		expect(lines).toHaveLength(11);
		const mo = lines.find((l) => l.includes('Mo Many'));
		expect(mo).toContain(',blocked,dnc no_consent landline,');
		expect(mo).toContain('The phone is on the do-not-contact list. The lead has no consent basis');
		expect(lines.find((l) => l.includes('Ann Sender'))).toMatch(/,send,,\+12125550111,America\/New_York,\d{4}-.*,\+12125550100,/);
	});

	it('filters like the table', async () => {
		const res = await get(`${path()}?reason=dnc`, owner.token);
		const lines = (await res.text()).trim().split('\r\n');
		expect(lines.slice(1).map((l) => l.split(',')[1]).sort()).toEqual(['Dan Listed', 'Mo Many']);
		expect(res.headers.get('content-disposition')).toContain('-dnc.csv');
	});

	it('refuses anyone signed out, outside the workspace, or asking under another crusade', async () => {
		expect((await get(path())).status).toBe(401);
		const stranger = await seedUser('csv-stranger');
		expect((await get(path(), stranger.token)).status).toBe(404);
		// Through the stranger's own workspace, this workspace's crusade and run are not found either.
		expect((await get(path().replace(`/w/${owner.workspace?.slug}/`, `/w/${stranger.workspace?.slug}/`), stranger.token)).status).toBe(404);
		const otherCrusade = await seedCrusade(database().db, workspaceId, { campaignIds: [], schedule: { startsAt: '2030-01-01T00:00:00Z', endsAt: '2030-01-02T00:00:00Z', windows: WEEK_9_TO_5 } });
		expect((await get(path().replace(crusadeId, otherCrusade), owner.token)).status).toBe(404);
	});
});
