/**
 * `npm run bench:dryrun`: a dry-run over a 1,000,000-lead audience (BENCH_LEADS to change) in a
 * database of its own, made set-based in SQL (generate_series): leads spread over ten states with
 * addresses, one or two phones each (mobile, landline, VoIP, unknown, a few invalid), a slice on
 * do-not-contact and without consent. Measures the whole dry-run (first pass, Node per-lead
 * pass, allocation, COPY of the results) in leads/s and peak RSS, and in the same run the plain
 * `SELECT count(*)` of the same audience filter as the baseline. Dropped at the end.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { createDatabase } from '../../db/client';
import { runMigrations } from '../../db/migrate';
import { dryRuns, workspaces } from '../../db/schema/index';
import { ensureDatabase } from '../../server/bootstrap';
import { PgDialect } from 'drizzle-orm/pg-core';
import { audienceCountQuery, leadsQuery, phonesQuery } from '../../server/dryrun/first-pass';
import { dryRunInputSchema, type DryRunInput } from '../../server/dryrun/input';
import { runDryRun } from '../../server/dryrun/run';

const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000);
const admin = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** BENCH_KEEP_DB=1 keeps the seeded database and prints its name; BENCH_REUSE_DB=<name> runs on it without seeding (for profiling loops; the reported figures come from fresh runs). */
const reuse = process.env.BENCH_REUSE_DB;
const keep = !!process.env.BENCH_KEEP_DB || !!reuse;
const dbName = reuse ?? `muster_bench_dryrun_${Date.now().toString(36)}`;
const url = Object.assign(new URL(admin), { pathname: `/${dbName}` }).toString();
const out = (line = '') => process.stdout.write(line + '\n');
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const secs = (ms: number) => (ms / 1000).toFixed(2);
const rssMb = () => process.memoryUsage().rss / 1024 ** 2;

/** State, a zip, two area codes: the geography the leads and the sender pool share. */
const PLACES: [string, string, string, string][] = [
	['TX', '75201', '214', '512'],
	['FL', '33101', '305', '407'],
	['CA', '90012', '213', '415'],
	['NY', '10001', '212', '718'],
	['AZ', '85004', '602', '520'],
	['GA', '30303', '404', '678'],
	['NC', '27601', '919', '704'],
	['OH', '43215', '614', '216'],
	['PA', '19103', '215', '412'],
	['IL', '60601', '312', '773']
];

function input(): DryRunInput {
	const day = [{ start: '09:00', end: '19:00' }];
	return {
		source: 'bench',
		schedule: { startsAt: '2026-12-01T00:00:00Z', endsAt: '2026-12-15T00:00:00Z', windows: { sun: [], mon: day, tue: day, wed: day, thu: day, fri: day, sat: [{ start: '10:00', end: '14:00' }] } },
		// Ten brands of 40,000 a day and 30 numbers each with room for 6 a minute: a campaign that
		// cannot reach everyone in two weeks, so caps and throttles are exercised, as in life.
		budgets: { perNumberPerMinute: 6, perCampaignPerMinuteDefault: 600, brandDailyCapDefault: 40_000, jitterSeconds: 90 },
		vertical: 'real_estate',
		campaigns: [
			{
				id: 'bench-campaign',
				name: 'Cash offer',
				audience: { states: PLACES.map((p) => p[0]), consent: ['express_written', 'existing_relationship', 'none'] },
				firstStep: { id: 'step-1', type: 'send_message', config: { body: '{Hi|Hello|Hey} {{first_name|there}}, {is|would} {{property_address|your property}} {still |}for sale? {We buy as-is|Cash offer in 7 days}. Reply STOP to opt out.' } },
				senderName: 'Sam',
				companyName: 'Acme Homes'
			}
		],
		senders: PLACES.flatMap(([state, , a, b], i) =>
			[a, b, a].map((ac, k) => ({
				id: `n-${i}-${k}`,
				e164: `+1${ac}555${String(100 + k).padStart(4, '0')}`,
				providerAccount: 'bench',
				brandId: `B${i}`,
				campaignId: `C${i}`,
				areaCode: ac,
				state,
				dailyCap: 4_000
			}))
		),
		seed: 'bench-version',
		now: '2026-11-30T12:00:00Z'
	};
}

/**
 * CPU ms the given Postgres backends have used since `start`, read from /proc (so only with
 * Postgres on this machine), sampled because an idle pool connection may close mid-run; null
 * when /proc cannot be read.
 */
function backendCpu(pids: readonly number[]): { sample: () => void; ms: () => number | null } {
	const ticks = (pid: number): number | null => {
		try {
			// Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			return Number(rest[11]) + Number(rest[12]);
		} catch {
			return null;
		}
	};
	const first = pids.map(ticks);
	const last = [...first];
	const sample = () => pids.forEach((pid, i) => (last[i] = ticks(pid) ?? last[i] ?? null));
	return {
		sample,
		ms: () => {
			sample();
			if (first.some((t) => t === null)) return null;
			return (last.reduce<number>((sum, t, i) => sum + (t ?? 0) - first[i]!, 0) * 1000) / 100;
		}
	};
}

async function seed(db: ReturnType<typeof createDatabase>['db'], workspaceId: string): Promise<number> {
	const places = sql.raw(`(values ${PLACES.map((p, i) => `(${i}, '${p[0]}', '${p[1]}', '${p[2]}', '${p[3]}')`).join(', ')}) as g(k, state, zip, ac1, ac2)`);
	// The dry-run needs none of the search indexes; dropping them makes seeding a minute faster.
	await db.execute(sql`drop index if exists leads_search_idx, leads_tags_idx, leads_name_address_idx`);
	const t = performance.now();
	await db.execute(sql`
		insert into leads (id, workspace_id, first_name, last_name, full_name, street, city, state, zip, consent_basis, created_at)
		select md5('lead' || i)::uuid, ${workspaceId},
			(array['Maria','James','Linda','Robert','Patricia','Michael','Jennifer','David','ELIZABETH','william'])[1 + i % 10],
			(array['Garcia','Smith','Johnson','Lopez','Brown','Nguyen','Miller','Davis'])[1 + (i / 10) % 8],
			'', case when i % 7 = 0 then null else (i % 9000 + 100) || ' Main St' end, 'City', g.state, g.zip,
			case when i % 20 = 0 then 'none' when i % 3 = 0 then 'existing_relationship' else 'express_written' end,
			now() - make_interval(secs => i)
		from generate_series(1, ${LEADS}) i join ${places} on g.k = i % 10`);
	await db.execute(sql`
		insert into lead_phones (workspace_id, e164, lead_id, type, area_code)
		select ${workspaceId}, '+1' || (case when i % 2 = 0 then g.ac1 else g.ac2 end) || (2000000 + i)::text, md5('lead' || i)::uuid,
			case when i % 100 < 82 then 'mobile' when i % 100 < 90 then 'landline' when i % 100 < 95 then 'voip' else 'unknown' end,
			case when i % 2 = 0 then g.ac1 else g.ac2 end
		from generate_series(1, ${LEADS}) i join ${places} on g.k = i % 10
		where i % 250 <> 0`);
	// A second phone for one lead in four (some landlines, so the best-phone choice matters), a few invalid numbers.
	await db.execute(sql`
		insert into lead_phones (workspace_id, e164, lead_id, type, area_code)
		select ${workspaceId}, '+1' || g.ac1 || (case when i % 1000 = 3 then '0' else '9' end) || lpad(i::text, 6, '0'), md5('lead' || i)::uuid,
			case when i % 8 = 0 then 'landline' else 'mobile' end, g.ac1
		from generate_series(1, ${LEADS}) i join ${places} on g.k = i % 10
		where i % 4 = 3`);
	await db.execute(sql`
		insert into dnc_entries (workspace_id, e164, reason, source)
		select workspace_id, e164, 'bench', 'manual' from lead_phones where workspace_id = ${workspaceId} and abs(hashtext(e164)) % 50 = 0`);
	await db.execute(sql`vacuum analyze leads`);
	await db.execute(sql`vacuum analyze lead_phones`);
	await db.execute(sql`vacuum analyze dnc_entries`);
	// The seed's dirty pages written out now: otherwise their write-back (checkpointer, kernel)
	// runs during the measured dry-run and takes a core from it.
	await db.execute(sql`checkpoint`);
	return performance.now() - t;
}

async function main(): Promise<void> {
	out(`bench:dryrun — ${fmt(LEADS)} leads, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
	await ensureDatabase(url);
	const handle = createDatabase(url, { max: 4 });
	try {
		await runMigrations(handle);
		const db = handle.db;
		const [existing] = reuse ? await db.select().from(workspaces).where(eq(workspaces.slug, 'bench')) : [];
		const [ws] = existing ? [existing] : await db.insert(workspaces).values({ name: 'Bench', slug: 'bench' }).returning();
		if (!ws) throw new Error('no workspace');
		const seedMs = existing ? 0 : await seed(db, ws.id);
		const counts = (await db.execute<Record<string, number>>(sql`select (select count(*)::int from leads) as leads, (select count(*)::int from lead_phones) as phones, (select count(*)::int from dnc_entries) as dnc`)).rows[0] ?? {};
		out(`seeded in ${secs(seedMs)} s: ${Object.entries(counts).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`);

		const config = dryRunInputSchema.parse(input());
		// Baseline: the plain count of the same audience, warm (run once to load the cache, then timed).
		await db.execute(audienceCountQuery(ws.id, config));
		let t = performance.now();
		const audience = (await db.execute<{ n: number }>(audienceCountQuery(ws.id, config))).rows[0]?.n ?? 0;
		const countMs = performance.now() - t;

		if (process.env.BENCH_EXPLAIN) {
			// Where the SQL first pass spends its time (BENCH_EXPLAIN=1): each stream's plan with timings.
			for (const query of [phonesQuery(ws.id, config), leadsQuery(ws.id, config)]) {
				const q = new PgDialect().sqlToQuery(query);
				const plan = await handle.pool.query(`explain (analyze, buffers) ${q.sql}`, q.params);
				out(plan.rows.map((r: Record<string, string>) => `    ${r['QUERY PLAN']}`).join('\n'));
			}
		}
		const [run] = await db.insert(dryRuns).values({ workspaceId: ws.id, input: input() as unknown as Record<string, unknown>, status: 'running', startedAt: new Date() }).returning();
		if (!run) throw new Error('no run');
		// Open the pool's connections now, so the Postgres backends the run uses are known (and warm).
		const held = await Promise.all(Array.from({ length: 4 }, () => handle.pool.connect()));
		const pids = await Promise.all(held.map(async (c) => (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid));
		for (const c of held) c.release();
		const pgCpu = backendCpu(pids);
		const rssBefore = rssMb();
		let peak = rssBefore;
		const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 50);
		const pgSampler = setInterval(pgCpu.sample, 200);
		let events = 0;
		const cpuBefore = process.cpuUsage();
		t = performance.now();
		const outcome = await runDryRun({ db, pool: handle.pool, runId: run.id, onProgress: () => void events++ });
		const runMs = performance.now() - t;
		const cpu = process.cpuUsage(cpuBefore);
		clearInterval(pgSampler);
		const pgMs = pgCpu.ms();
		clearInterval(sampler);
		peak = Math.max(peak, rssMb(), process.resourceUsage().maxRSS / 1024);
		const leadsPerSecond = outcome.total / (runMs / 1000);
		const countRate = audience / (countMs / 1000);

		out();
		out('| measure | value |');
		out('|---|---|');
		out(`| audience (${config.campaigns[0]!.audience.states?.length} states, every consent) | ${fmt(audience)} leads |`);
		out(`| baseline: SELECT count(*) of the audience | ${secs(countMs)} s, ${fmt(countRate)} leads/s |`);
		out(`| dry-run, end to end (${outcome.status}) | ${secs(runMs)} s, **${fmt(leadsPerSecond)} leads/s** (target ≥ 100,000) |`);
		out(`| dry-run ÷ count | ${(leadsPerSecond / countRate).toFixed(3)} (the count is ${(countRate / leadsPerSecond).toFixed(1)}× faster) |`);
		// On a busy machine the wall time says little; the CPU Node spent (Postgres's is not counted) still compares.
		out(`| CPU time of this Node process during the run | ${secs((cpu.user + cpu.system) / 1000)} s (user ${secs(cpu.user / 1000)}, system ${secs(cpu.system / 1000)}) |`);
		if (pgMs !== null) out(`| CPU time of its Postgres backends (parallel workers not counted) | ${secs(pgMs)} s |`);
		out(`| peak RSS of the process | ${fmt(peak)} MB (${fmt(rssBefore)} MB before the run) |`);
		out(`| outcome | would send ${fmt(outcome.wouldSend)}, blocked ${fmt(outcome.blocked)}; ${events} progress events |`);
		out(`| leads per reason | ${Object.entries(outcome.reasonCounts).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')} |`);
		out();
		out('| where the time goes | seconds |');
		out('|---|---|');
		for (const [k, v] of Object.entries(outcome.timings).sort((a, b) => b[1] - a[1])) out(`| ${k} | ${secs(v)} |`);
		const accounted = Object.values(outcome.timings).reduce((a, b) => a + b, 0);
		out(`| other (progress events, counts, commit) | ${secs(runMs - accounted)} |`);
	} finally {
		await handle.pool.end();
		if (keep) out(`kept database ${dbName} (BENCH_REUSE_DB=${dbName} to run on it again)`);
		else {
			const client = new pg.Client({ connectionString: admin });
			await client.connect();
			await client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
			await client.end();
		}
	}
}

await main();
