/**
 * `npm run bench:overview`: the live grid's snapshot on a busy workspace, in a database of its
 * own: BENCH_LEADS leads (200,000 by default), 300 lead files (10 running), 200 campaigns over 20
 * saved filters, 2,000 sender numbers in 20 brands, 100 crusades and 2,000 dry-runs. Measures
 * `overviewSnapshot` (every stage, audience counts cold and cached) and each stage alone, with
 * the Campaigns page's own list and a `SELECT 1` round trip as baselines in the same run; then
 * what the change triggers cost the writers they sit on: an ingest's per-batch counter update and
 * a 10,000-row sender-number insert, with the triggers on and off. Dropped at the end.
 */
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { createDatabase, type Database } from '../../db/client';
import { runMigrations } from '../../db/migrate';
import { workspaces } from '../../db/schema/index';
import { ensureDatabase } from '../../server/bootstrap';
import { listCampaigns } from '../../server/campaigns/service';
import { forgetAudienceCounts } from '../../server/overview/audience';
import { overviewSnapshot } from '../../server/overview/service';
import { OVERVIEW_STAGES } from '../../server/overview/stages';

const LEADS = Number(process.env.BENCH_LEADS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const admin = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `muster_bench_overview_${Date.now().toString(36)}`;
const url = Object.assign(new URL(admin), { pathname: `/${name}` }).toString();

const out = (line: string) => process.stdout.write(`${line}\n`);
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;

async function timed(runs: number, work: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		await work();
		times.push(performance.now() - t);
	}
	times.sort((a, b) => a - b);
	return { p50: times[Math.floor(times.length / 2)] ?? 0, p95: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))] ?? 0 };
}

const STATES = ['TX', 'FL', 'CA', 'NY', 'GA', 'AZ', 'OH', 'NC', 'PA', 'IL'];

async function seed(db: Database, ws: string): Promise<void> {
	const states = sql.raw(`array[${STATES.map((s) => `'${s}'`).join(',')}]`);
	await db.execute(sql`
		insert into leads (workspace_id, first_name, last_name, full_name, street, city, state, zip, tags, created_at)
		select ${ws}, 'Lead', 'N' || i, 'Lead N' || i, (i % 9000 + 100) || ' Main St', 'City', (${states})[1 + i % 10], lpad((i % 90000 + 10000)::text, 5, '0'),
			case when i % 5 = 0 then array['hot'] else '{}'::text[] end, now() - make_interval(secs => i)
		from generate_series(1, ${LEADS}) i`);
	await db.execute(sql`
		insert into lead_imports (workspace_id, file_name, file_size, upload_id, status, rows_read, leads_created, created_at)
		select ${ws}, 'file-' || i || '.csv', 1000000, 'bench-' || i, case when i <= 10 then 'running' else 'completed' end, 5000, 4000, now() - make_interval(mins => i)
		from generate_series(1, 300) i`);
	await db.execute(sql`
		insert into saved_filters (workspace_id, name, filter)
		select ${ws}, 'Filter ' || i, case when i % 2 = 0 then jsonb_build_object('states', jsonb_build_array((${states})[1 + i % 10])) else jsonb_build_object('states', jsonb_build_array((${states})[1 + i % 10]), 'tags', jsonb_build_array('hot')) end
		from generate_series(1, 20) i`);
	await db.execute(sql`
		insert into campaigns (workspace_id, name, channel, audience_filter_id, status, error_count, draft_hash, issues, updated_at)
		select ${ws}, 'Campaign ' || i, 'sms', (select id from saved_filters where workspace_id = ${ws} order by name offset i % 20 limit 1),
			case when i % 2 = 0 then 'published' else 'draft' end, i % 3, 'h' || i,
			case when i % 3 = 0 then '[]'::jsonb else jsonb_build_array(jsonb_build_object('code', 'x', 'severity', 'error', 'message', 'Missing message')) end, now() - make_interval(mins => i)
		from generate_series(1, 200) i`);
	await db.execute(sql`
		insert into campaign_versions (campaign_id, workspace_id, number, hash, content)
		select c.id, ${ws}, v, case when v = 2 then c.draft_hash else 'old' end, '{}'::jsonb from campaigns c cross join generate_series(1, 2) v where c.workspace_id = ${ws} and c.status = 'published'`);
	await db.execute(sql`
		insert into sender_numbers (workspace_id, e164, provider_account, brand_id, campaign_id, area_code, state, status, daily_cap)
		select ${ws}, '+1415' || lpad(i::text, 7, '0'), 'acct', 'BRAND' || (i % 20), 'C' || (i % 20), '415', 'CA',
			case when i % 10 = 0 then 'paused' when i % 25 = 0 then 'blocked' else 'active' end, case when i % 4 = 0 then null else 500 end
		from generate_series(1, 2000) i`);
	await db.execute(sql`
		insert into crusades (workspace_id, name, starts_at, ends_at, status, draft_hash, updated_at)
		select ${ws}, 'Crusade ' || i, now() + make_interval(days => i - 50), now() + make_interval(days => i - 40), 'published', 'c' || i, now() - make_interval(mins => i)
		from generate_series(1, 100) i`);
	await db.execute(sql`
		insert into crusade_campaigns (crusade_id, campaign_id, position)
		select cr.id, c.id, 0 from crusades cr join lateral (select id from campaigns where workspace_id = ${ws} order by random() limit 1) c on true where cr.workspace_id = ${ws}`);
	await db.execute(sql`insert into crusade_versions (crusade_id, workspace_id, number, hash, content) select id, ${ws}, 1, draft_hash, '{}'::jsonb from crusades where workspace_id = ${ws}`);
	await db.execute(sql`
		insert into dry_runs (workspace_id, source, input, status, total, done, would_send, blocked, created_at)
		select ${ws}, 'crusade:' || cr.id || '@v1', '{}'::jsonb, 'completed', 1000, 1000, 800, 200, now() - make_interval(mins => k)
		from crusades cr cross join generate_series(1, 20) k where cr.workspace_id = ${ws}`);
	await db.execute(sql`analyze`);
}

async function triggerCost(db: Database, ws: string): Promise<void> {
	// A fresh import per round: a row updated thousands of times slows down as dead versions pile up.
	const running = (await db.execute<{ id: string }>(sql`select id from lead_imports where workspace_id = ${ws} and status = 'running' order by id limit 6`)).rows.map((r) => r.id);
	let round = 0;
	const batches = async () => {
		const id = running[round++ % running.length] ?? '';
		for (let i = 0; i < 1_000; i++) await db.execute(sql`update lead_imports set rows_read = rows_read + 1000, resume_offset = resume_offset + 100000 where id = ${id}`);
	};
	let n = 0;
	const numbers = async () => {
		const tag = String(n++).padStart(2, '0');
		await db.execute(sql`
			insert into sender_numbers (workspace_id, e164, provider_account, brand_id, campaign_id, area_code, state)
			select ${ws}, '+12' || ${tag} || lpad(i::text, 8, '0'), 'acct', 'B', 'C', '212', 'NY' from generate_series(1, 10000) i`);
	};
	const triggers = async (on: boolean) => {
		const verb = sql.raw(on ? 'enable' : 'disable');
		await db.execute(sql`alter table lead_imports ${verb} trigger lead_imports_overview_status`);
		await db.execute(sql`alter table sender_numbers ${verb} trigger sender_numbers_overview_insert`);
	};
	// Rounds off, on, on, off, off, on: a machine that gets busier or quieter mid-run weighs on both alike.
	const measure = async (label: string, work: () => Promise<void>) => {
		const total = { on: 0, off: 0 };
		for (const on of [false, true, true, false, false, true]) {
			await triggers(on);
			const t = performance.now();
			await work();
			total[on ? 'on' : 'off'] += performance.now() - t;
		}
		await triggers(true);
		out(`${label}, 3 rounds each: triggers off ${ms(total.off)}, on ${ms(total.on)} (on/off ${(total.on / total.off).toFixed(2)})`);
	};
	await measure('1,000 ingest batch counter updates (one row each)', batches);
	await measure('10,000-row sender-number insert (one statement)', numbers);
}

async function main(): Promise<void> {
	out(`bench:overview — ${LEADS.toLocaleString()} leads, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
	await ensureDatabase(url);
	const handle = createDatabase(url, { max: 8 });
	try {
		await runMigrations(handle);
		const db = handle.db;
		const [ws] = await db.insert(workspaces).values({ name: 'Bench', slug: 'bench' }).returning();
		if (!ws) throw new Error('no workspace');
		const t = performance.now();
		await seed(db, ws.id);
		out(`seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);

		const select1 = await timed(RUNS, () => db.execute(sql`select 1`));
		const campaignsPage = await timed(RUNS, () => listCampaigns(db, ws.id));
		const cold = await timed(RUNS, async () => {
			forgetAudienceCounts();
			await overviewSnapshot(db, ws.id);
		});
		const warm = await timed(RUNS, () => overviewSnapshot(db, ws.id));
		out(`baseline SELECT 1 round trip: p50 ${ms(select1.p50)}, p95 ${ms(select1.p95)}`);
		out(`baseline campaigns.list (the Campaigns page): p50 ${ms(campaignsPage.p50)}, p95 ${ms(campaignsPage.p95)}`);
		out(`overview, every stage, audience counts cold: p50 ${ms(cold.p50)}, p95 ${ms(cold.p95)}`);
		out(`overview, every stage, audience counts cached: p50 ${ms(warm.p50)}, p95 ${ms(warm.p95)}`);
		for (const stage of OVERVIEW_STAGES) {
			const one = await timed(RUNS, () => overviewSnapshot(db, ws.id, [stage]));
			out(`  ${stage} alone (cached counts): p50 ${ms(one.p50)}, p95 ${ms(one.p95)}`);
		}
		await triggerCost(db, ws.id);
	} finally {
		await handle.pool.end();
		const { default: pg } = await import('pg');
		const client = new pg.Client({ connectionString: admin });
		await client.connect();
		await client.query(`drop database if exists "${name}" with (force)`);
		await client.end();
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	}
);
