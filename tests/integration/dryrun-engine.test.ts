import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { dncEntries, dryRunResults, dryRuns } from '../../db/schema/index';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { database } from '../../server/db';
import type { DryRunInput } from '../../server/dryrun/input';
import { usTextable } from '../../server/dryrun/best-phones';
import { US_E164 } from '../../server/dryrun/first-pass';
import { inlineQuery, readCopy } from '../../server/dryrun/pass-reader';
import { dropOrphanResultsTables, resultsTable } from '../../server/dryrun/results-table';
import { runDryRun, type DryRunProgress } from '../../server/dryrun/run';
import { seedUser } from '../support/identity';
import { seedLeads } from '../support/leads';
import { crusadeInput, seedDryRunWorkspace } from './dryrun-fixtures';

/**
 * The dry-run engine on crafted leads (dryrun-fixtures.ts): each SQL and Node reason produced by
 * a lead made for it, several reasons on one lead, two runs identical, progress events, cancel.
 */

let workspaceId: string;
let byName: Map<string, string>;

async function newRun(input: DryRunInput = crusadeInput()): Promise<string> {
	const [row] = await database()
		.db.insert(dryRuns)
		.values({ workspaceId, input: input as unknown as Record<string, unknown>, status: 'running', startedAt: new Date() })
		.returning({ id: dryRuns.id });
	return row!.id;
}

/** Whether the run's own results table exists, and whether it is attached as a partition. */
async function tableOf(runId: string): Promise<{ exists: boolean; attached: boolean }> {
	const r = await database().pool.query<{ attached: boolean }>('select relispartition as attached from pg_class where relname = $1', [resultsTable(runId)]);
	return { exists: r.rows.length === 1, attached: r.rows[0]?.attached ?? false };
}

async function results(runId: string) {
	const rows = await database().db.select().from(dryRunResults).where(eq(dryRunResults.runId, runId)).orderBy(dryRunResults.leadId);
	return rows.map(({ runId: _, ...r }) => r);
}

beforeAll(async () => {
	await bootstrap(config());
	({ workspaceId, byName } = await seedDryRunWorkspace('dryrun-engine'));
});

describe('dry-run engine', () => {
	it('gives every crafted lead its reason, and a lead with several reasons all of them', async () => {
		const runId = await newRun();
		const outcome = await runDryRun({ db: database().db, pool: database().pool, runId });
		expect(outcome).toMatchObject({ status: 'completed', total: 10 });
		const rows = await results(runId);
		const fate = (name: string) => rows.find((r) => r.leadId === byName.get(name));
		expect(fate('Ann')).toMatchObject({ outcome: 'send', reasons: [], phone: '+12125550111', senderE164: '+12125550100', zone: 'America/New_York', segments: 1 });
		expect(fate('Ann')?.variant).toMatch(/^[01]$/);
		expect(fate('Ann')!.slotAt!.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-12-01T14:00:00Z'));
		expect(fate('Ann')!.slotAt!.getTime()).toBeLessThan(Date.parse('2026-12-01T14:05:00Z'));
		expect(fate('Dan')).toMatchObject({ outcome: 'blocked', reasons: ['dnc'] });
		expect(fate('Nora')).toMatchObject({ outcome: 'blocked', reasons: ['no_consent'] });
		expect(fate('Larry')).toMatchObject({ outcome: 'blocked', reasons: ['landline'] });
		expect(fate('Ivan')).toMatchObject({ outcome: 'blocked', reasons: ['invalid_phone'] });
		expect(fate('Hana')).toMatchObject({ outcome: 'blocked', reasons: ['outside_window'], zone: 'Pacific/Honolulu' });
		expect(fate('Pat')).toMatchObject({ outcome: 'blocked', reasons: ['no_phone'] });
		expect(fate('Mo')).toMatchObject({ outcome: 'blocked', reasons: ['dnc', 'no_consent', 'landline'] });
		// The brand BCAP may send one a day: one Florida lead goes, the other waits past the end.
		const florida = [fate('Flo'), fate('Fay')].map((r) => r?.reasons.join(',') || r?.outcome);
		expect(florida.sort()).toEqual(['brand_daily_cap', 'send']);
		expect(outcome).toMatchObject({ wouldSend: 2, blocked: 8 });
		expect(outcome.reasonCounts).toEqual({ brand_daily_cap: 1, dnc: 2, invalid_phone: 1, landline: 2, no_consent: 2, no_phone: 1, outside_window: 1 });
		const [run] = await database().db.select().from(dryRuns).where(eq(dryRuns.id, runId));
		expect(run).toMatchObject({ status: 'completed', total: 10, done: 10, wouldSend: 2, blocked: 8 });
	});

	it('a missing merge value without fallback and an empty sender pool are reasons too, with the window checked as well', async () => {
		const input = crusadeInput({
			senders: [],
			campaigns: [{ id: 'c1', audience: { states: ['HI'] }, firstStep: { id: 's', type: 'send_message', config: { body: 'Aloha {{first_name}}, about {{property_address}}' } } }]
		});
		const runId = await newRun(input);
		await runDryRun({ db: database().db, pool: database().pool, runId });
		expect(await results(runId)).toEqual([expect.objectContaining({ leadId: byName.get('Hana'), outcome: 'blocked', reasons: ['missing_merge_value', 'no_sender', 'outside_window'] })]);
	});

	it('is deterministic: two runs of one input give identical rows', async () => {
		const a = await newRun();
		const b = await newRun();
		await runDryRun({ db: database().db, pool: database().pool, runId: a });
		await runDryRun({ db: database().db, pool: database().pool, runId: b });
		expect(await results(b)).toEqual(await results(a));
	});

	it('reports progress: done, total, rows per second and time left, ending at done = total', async () => {
		const runId = await newRun();
		const events: DryRunProgress[] = [];
		const logs: string[] = [];
		// The status each line was logged under: the last line is stored before the run reads as
		// finished, so a page that sees "completed" and reads the log once more has every line.
		const statuses: string[] = [];
		const onLog = async (line: string) => {
			logs.push(line);
			const [row] = await database().db.select({ status: dryRuns.status }).from(dryRuns).where(eq(dryRuns.id, runId));
			statuses.push(row?.status ?? 'missing');
		};
		await runDryRun({ db: database().db, pool: database().pool, runId, progressEveryMs: 0, onProgress: (p) => void events.push(p), onLog });
		expect(logs.at(-1)).toBe('done: 2 would send, 8 blocked');
		expect(statuses.every((s) => s === 'running')).toBe(true);
		expect(events.map((e) => e.phase)).toEqual(expect.arrayContaining(['reading', 'allocating', 'done']));
		expect(events.at(-1)).toMatchObject({ phase: 'done', done: 10, total: 10, etaSeconds: 0 });
		expect(events.every((e) => e.total === 10 && e.rowsPerSecond >= 0)).toBe(true);
		expect(logs[0]).toBe('10 leads in the audience');
		// Pat has no phone: nine leads hold the nine phones.
		expect(logs[1]).toBe('9 phones read; 9 leads have one');
		expect(logs[2]).toMatch(/^6 blocked by the first pass .*; 4 through the per-lead pass$/);
	});

	it('cancels between batches and keeps no results', async () => {
		const runId = await newRun();
		const outcome = await runDryRun({
			db: database().db,
			pool: database().pool,
			runId,
			progressEveryMs: 0,
			onProgress: async (p) => {
				if (p.phase === 'reading') await database().db.update(dryRuns).set({ status: 'cancelled' }).where(eq(dryRuns.id, runId));
			}
		});
		expect(outcome.status).toBe('cancelled');
		const n = await database().db.execute<{ n: number }>(sql`select count(*)::int as n from dry_run_results where run_id = ${runId}`);
		expect(n.rows[0]?.n).toBe(0);
		const [run] = await database().db.select({ status: dryRuns.status }).from(dryRuns).where(eq(dryRuns.id, runId));
		expect(run?.status).toBe('cancelled');
		expect(await tableOf(runId)).toEqual({ exists: false, attached: false });
	});

	it('writes each run into its own partition, attached once complete; a retry of the same run starts over', async () => {
		const runId = await newRun();
		await runDryRun({ db: database().db, pool: database().pool, runId });
		const first = await results(runId);
		expect(await tableOf(runId)).toEqual({ exists: true, attached: true });
		// A worker that died after attaching and is retried: the run is computed again, not doubled.
		await runDryRun({ db: database().db, pool: database().pool, runId });
		expect(await results(runId)).toEqual(first);
		expect(first.length).toBe(10);
	});

	it('a failure mid-run keeps no results; the sweep drops tables of runs that are gone or died detached', async () => {
		const failing = await newRun();
		await expect(
			runDryRun({
				db: database().db,
				pool: database().pool,
				runId: failing,
				progressEveryMs: 0,
				onProgress: (p) => {
					if (p.phase === 'allocating') throw new Error('worker lost');
				}
			})
		).rejects.toThrow('worker lost');
		expect(await tableOf(failing)).toEqual({ exists: false, attached: false });

		// A crashed worker leaves a detached table; a deleted run leaves an empty attached one.
		const crashed = await newRun();
		await database().pool.query(`create table ${resultsTable(crashed)} (like dry_run_results)`);
		await database().db.update(dryRuns).set({ status: 'failed' }).where(eq(dryRuns.id, crashed));
		const deleted = await newRun();
		await runDryRun({ db: database().db, pool: database().pool, runId: deleted });
		await database().db.delete(dryRuns).where(eq(dryRuns.id, deleted));
		const kept = await newRun();
		await runDryRun({ db: database().db, pool: database().pool, runId: kept });

		expect(await dropOrphanResultsTables(database().pool)).toBeGreaterThanOrEqual(2);
		expect(await tableOf(crashed)).toEqual({ exists: false, attached: false });
		expect(await tableOf(deleted)).toEqual({ exists: false, attached: false });
		expect(await tableOf(kept)).toEqual({ exists: true, attached: true });
		expect(await results(kept)).toHaveLength(10);
	});

	it('tells textable US phones as the US E.164 pattern does in Postgres, without a regex', async () => {
		const awkward = ['+12125550111', '+19995559999', '+11125550111', '+12120550111', '+12121550111', '+1212555011', '+121255501111', '+1212555011a', '+1212555011\u0661', '+12125550\uff111', '12125550111', '+22125550111', '', '+1', '+1212555 0111', '+1212555011\u00b2', '+1212-550111', '+12125550111\n', '+1\ufeff2125550111', '+1212555011\u00e9', '+1212/550111', '+1212:550111'];
		const values = sql.join(awkward.map((s) => sql`(${s}::text)`), sql`, `);
		const rows = await database().db.execute<{ s: string; regex: boolean }>(sql`select t.s, t.s ~ ${US_E164} as regex from (values ${values}) as t(s)`);
		expect(rows.rows).toHaveLength(awkward.length);
		for (const row of rows.rows) expect({ s: row.s, textable: usTextable(row.s) }).toEqual({ s: row.s, textable: row.regex });
		expect(rows.rows.filter((r) => r.regex).map((r) => r.s)).toEqual(['+12125550111', '+19995559999']);
	});

	it('reads COPY text back to the values Postgres holds, whatever the characters', async () => {
		const awkward = ['plain', 'tab\there', 'new\nline', 'back\\slash', '\\N', 'cr\rlf', 'bell\u0007', 'bs\bff\fvt\v', 'émoji 😀 Ünïcödé', '', null];
		const values = sql.join(awkward.map((s, i) => sql`(${i}::int, ${s}::text)`), sql`, `);
		const client = await database().pool.connect();
		const seen: (string | null)[] = [];
		try {
			const query = inlineQuery(sql`select t.s, t.i from (values ${values}) as t(i, s) order by t.i`);
			const read = await readCopy(client, query, 2, (line) => void seen.push(line.value(0)), async () => {});
			expect(read.rows).toBe(awkward.length);
		} finally {
			client.release();
		}
		expect(seen).toEqual(awkward);
	});
});

describe('dry-run first pass: the best phone of a lead with several', () => {
	it('texts a textable phone when any, mobile before VoIP before unknown, and names the reasons of the best one left', async () => {
		const { workspace } = await seedUser('dryrun-phones');
		const ws = workspace?.id ?? '';
		const texans = Array.from({ length: 4 }, (_, i) => ({ firstName: `Tex${i}`, lastName: 'Other', state: 'TX', zip: '75201', consent: 'express_written' as const, phones: [{ e164: `+1214555013${i}`, type: 'mobile' as const }] }));
		const { ids } = await seedLeads(database().db, ws, [
			// A listed mobile, an older landline, a VoIP and an unknown: the VoIP is the one to text.
			{ firstName: 'Vic', lastName: 'Voip', state: 'NY', zip: '10001', consent: 'express_written', phones: [{ e164: '+12125550121', type: 'mobile' }, { e164: '+12125550122', type: 'landline' }, { e164: '+12125550123', type: 'unknown' }, { e164: '+12125550124', type: 'voip' }] },
			// Nothing textable: an invalid mobile ranks before a landline, so the reason is the number.
			{ firstName: 'Ina', lastName: 'Invalid', state: 'NY', zip: '10001', consent: 'express_written', phones: [{ e164: '+12125550125', type: 'landline' }, { e164: '+12120550126', type: 'mobile' }] },
			// Only listed numbers, one of them a landline: the listed mobile, listed.
			{ firstName: 'Lou', lastName: 'Listed', state: 'NY', zip: '10001', consent: 'express_written', phones: [{ e164: '+12125550127', type: 'landline' }, { e164: '+12125550128', type: 'mobile' }] },
			...texans
		]);
		await database()
			.db.insert(dncEntries)
			.values(['+12125550121', '+12125550127', '+12125550128'].map((e164) => ({ workspaceId: ws, e164, reason: 'asked', source: 'manual' as const })));
		// New York alone is under half the workspace (its phones are narrowed to the audience in SQL);
		// everyone is all of it (every phone of the workspace is read).
		const runs: [{ states?: string[] }, number][] = [[{ states: ['NY'] }, 3], [{}, 7]];
		for (const [audience, total] of runs) {
			const input = crusadeInput();
			input.campaigns[0]!.audience = audience;
			const [row] = await database()
				.db.insert(dryRuns)
				.values({ workspaceId: ws, input: input as unknown as Record<string, unknown>, status: 'running', startedAt: new Date() })
				.returning({ id: dryRuns.id });
			const outcome = await runDryRun({ db: database().db, pool: database().pool, runId: row!.id });
			expect(outcome).toMatchObject({ status: 'completed', total });
			const rows = await results(row!.id);
			expect(rows).toHaveLength(total);
			const fate = (i: number) => rows.find((r) => r.leadId === ids[i]);
			expect(fate(0)).toMatchObject({ outcome: 'send', reasons: [], phone: '+12125550124' });
			expect(fate(1)).toMatchObject({ outcome: 'blocked', reasons: ['invalid_phone'], phone: '+12120550126' });
			expect(fate(2)).toMatchObject({ outcome: 'blocked', reasons: ['dnc'], phone: '+12125550128' });
		}
	});
});
