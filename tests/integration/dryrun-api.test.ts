import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queue } from '../../jobs/connection';
import { startWorkers, type WorkerPool } from '../../jobs/workers';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { database } from '../../server/db';
import { exportDryRunCsv } from '../../server/dryrun/service';
import { refusal, seedMember } from '../support/access';
import { seedUser } from '../support/identity';
import { crusadeInput, seedDryRunWorkspace } from './dryrun-fixtures';

/** The dry-run over tRPC with the worker: start, follow, counts, pages, explain, CSV, cancel, who may. */

let workers: WorkerPool | undefined;
let owner: Awaited<ReturnType<typeof seedUser>>;
let workspaceId: string;
let byName: Map<string, string>;

beforeAll(async () => {
	await bootstrap(config());
	({ owner, workspaceId, byName } = await seedDryRunWorkspace('dryrun-api'));
	workers = await startWorkers(pino({ level: 'silent' }));
});

afterAll(async () => {
	await workers?.close(2_000);
	await queue('dryrun').obliterate({ force: true });
});

async function finished(runId: string) {
	await expect
		.poll(async () => (await owner.client.caller.dryrun.get({ workspaceId, runId })).status, { timeout: 30_000, interval: 100 })
		.toMatch(/completed|failed|cancelled/);
	return owner.client.caller.dryrun.get({ workspaceId, runId });
}

describe('dry-run over tRPC', () => {
	it('an operator starts one; the worker runs it; counts by reason, pages, explanation, events and CSV follow', async () => {
		const operator = await seedMember(workspaceId, 'dryrun-operator', 'operator');
		const started = await operator.client.caller.dryrun.start({ workspaceId, input: crusadeInput() });
		expect(started).toMatchObject({ status: 'queued', source: 'test' });
		const run = await finished(started.id);
		expect(run).toMatchObject({ status: 'completed', total: 10, done: 10, wouldSend: 2, blocked: 8 });
		expect(run.reasonCounts).toMatchObject({ dnc: 2, no_consent: 2, landline: 2, invalid_phone: 1, no_phone: 1, outside_window: 1, brand_daily_cap: 1, cooldown: 0, throttle: 0 });

		const caller = owner.client.caller.dryrun;
		const first = await caller.results({ workspaceId, runId: run.id, limit: 4 });
		expect(first.rows).toHaveLength(4);
		const second = await caller.results({ workspaceId, runId: run.id, limit: 50, after: first.nextAfter });
		expect(second.nextAfter).toBeNull();
		expect([...first.rows, ...second.rows].map((r) => r.leadId)).toEqual([...byName.values()].sort());
		expect((await caller.results({ workspaceId, runId: run.id, outcome: 'send' })).rows.map((r) => r.fullName).sort()).toHaveLength(2);
		expect((await caller.results({ workspaceId, runId: run.id, reason: 'dnc' })).rows.map((r) => r.fullName).sort()).toEqual(['Dan Listed', 'Mo Many']);

		const mo = await caller.explain({ workspaceId, runId: run.id, leadId: byName.get('Mo')! });
		expect(mo.reasons).toEqual(['dnc', 'no_consent', 'landline']);
		expect(mo.lines).toEqual([expect.stringMatching(/do-not-contact/), expect.stringMatching(/consent/), expect.stringMatching(/landline/)]);
		const ann = await caller.explain({ workspaceId, runId: run.id, leadId: byName.get('Ann')! });
		expect(ann.lines[0]).toMatch(/^Would be texted at 2026-12-01T14:0\d.* \(America\/New_York\) on \+12125550111, from \+12125550100, variant "[01]", 1 segment\.$/);

		const events = await caller.events({ workspaceId, runId: run.id });
		const progress = events.filter((e) => e.kind === 'progress').map((e) => e.data as { phase: string; done: number; total: number });
		expect(progress.at(-1)).toMatchObject({ phase: 'done', done: 10, total: 10 });
		expect(events.filter((e) => e.kind === 'state').map((e) => (e.data as { state: string }).state)).toEqual(['running', 'completed']);

		let csv = '';
		for await (const chunk of exportDryRunCsv(database().db, workspaceId, run.id, { outcome: 'blocked' })) csv += chunk;
		const lines = csv.trim().split('\r\n');
		expect(lines[0]).toBe('lead_id,name,outcome,reasons,phone,zone,slot_at,sender,variant,segments');
		expect(lines).toHaveLength(9);
		expect(lines.find((l) => l.includes('Mo Many'))).toContain(',blocked,dnc no_consent landline,+12125550119,');
	});

	it('refuses a viewer starting or cancelling, and a non-member everything', async () => {
		const viewer = await seedMember(workspaceId, 'dryrun-viewer', 'viewer');
		expect((await refusal(viewer.client.caller.dryrun.start({ workspaceId, input: crusadeInput() }))).code).toBe('FORBIDDEN');
		const run = await owner.client.caller.dryrun.start({ workspaceId, input: crusadeInput() });
		expect((await refusal(viewer.client.caller.dryrun.cancel({ workspaceId, runId: run.id }))).code).toBe('FORBIDDEN');
		expect((await viewer.client.caller.dryrun.get({ workspaceId, runId: run.id })).id).toBe(run.id);

		const stranger = await seedUser('dryrun-stranger');
		for (const call of [
			() => stranger.client.caller.dryrun.get({ workspaceId, runId: run.id }),
			() => stranger.client.caller.dryrun.results({ workspaceId, runId: run.id }),
			() => stranger.client.caller.dryrun.explain({ workspaceId, runId: run.id, leadId: byName.get('Ann')! }),
			() => stranger.client.caller.dryrun.events({ workspaceId, runId: run.id }),
			() => stranger.client.caller.dryrun.start({ workspaceId, input: crusadeInput() })
		]) {
			expect(await refusal(call())).toEqual({ code: 'FORBIDDEN', message: 'You are not a member of this workspace.' });
		}
		// Another workspace's member cannot read this run through their own workspace either.
		const otherWs = stranger.workspace?.id ?? '';
		expect((await refusal(stranger.client.caller.dryrun.get({ workspaceId: otherWs, runId: run.id }))).code).toBe('NOT_FOUND');
		await expect(async () => {
			for await (const _ of exportDryRunCsv(database().db, otherWs, run.id)) void _;
		}).rejects.toThrow(/does not exist in this workspace/);
		await finished(run.id);
	});

	it('refuses an invalid first message before queueing, and cancels a queued run', async () => {
		const bad = crusadeInput({ campaigns: [{ id: 'c1', audience: {}, firstStep: { id: 's', type: 'send_message', config: { body: '{Hi|' } } }] });
		expect((await refusal(owner.client.caller.dryrun.start({ workspaceId, input: bad }))).code).toBe('BAD_REQUEST');
		// A raw input may not pass itself off as a crusade's run (the crusade page lists runs by source).
		const before = (await owner.client.caller.dryrun.list({ workspaceId })).length;
		const spoof = await refusal(owner.client.caller.dryrun.start({ workspaceId, input: crusadeInput({ source: `crusade:${randomUUID()}@v1` }) }));
		expect(spoof).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('reserved for dry-runs of a crusade') });
		expect(await owner.client.caller.dryrun.list({ workspaceId })).toHaveLength(before);
		await workers?.close(2_000);
		workers = undefined;
		const run = await owner.client.caller.dryrun.start({ workspaceId, input: crusadeInput() });
		expect(await owner.client.caller.dryrun.cancel({ workspaceId, runId: run.id })).toMatchObject({ status: 'cancelled' });
		expect((await refusal(owner.client.caller.dryrun.cancel({ workspaceId, runId: run.id }))).code).toBe('CONFLICT');
	});
});
