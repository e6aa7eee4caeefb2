/**
 * `npm run bench:ingest`: a 1,000,000-row property-centric file (BENCH_ROWS to change),
 * ingested end to end (parse, normalise, dedupe, write, raw rows kept) by a child process
 * whose peak RSS is reported, against the raw COPY of the same file into an unlogged table
 * with no indexes, in the same run; then the write floor (the rows it stored, inserted again
 * into empty copies of their tables with every index) and search and filter timings on the
 * loaded leads with each statement's plan. Uses a database of its own, dropped at the end (BENCH_KEEP_DB=1 keeps
 * it). INGEST_TRACE=statements times each merge statement on its own round trip.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createDatabase } from '../../db/client';
import { runMigrations } from '../../db/migrate';
import { leadImports, workspaces } from '../../db/schema/index';
import { ensureDatabase } from '../../server/bootstrap';
import { config } from '../../server/config';
import { BatchPlanner } from '../../server/leads/ingest/batch-plan';
import { readRowBatches } from '../../server/leads/ingest/csv-reader';
import { inspectFile } from '../../server/leads/ingest/inspect';
import { parserById, readerFor } from '../../server/leads/ingest/parsers/registry';
import { PROPERTY_HEADERS, propertyRows, writeCsvFile } from '../../tests/fixtures/generate-leads';
import { timeSearch, type SearchCase } from './search';
import { writeFloor } from './write-floor';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
/** BENCH_ONLY=ingest skips the Node-only pass, the write floor and the searches (for iterating on the write path). */
const ONLY_INGEST = process.env.BENCH_ONLY === 'ingest';
const BATCH_ROWS = config().INGEST_BATCH_ROWS;
const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = join(root, 'bench/.data');
const file = join(dataDir, `property-${ROWS}.csv`);
const admin = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `muster_bench_ingest_${Date.now().toString(36)}`;
const url = Object.assign(new URL(admin), { pathname: `/${dbName}` }).toString();
const out = (line = '') => process.stdout.write(line + '\n');
const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000));
const fmt = (n: number) => n.toLocaleString('en-US');

async function generate(): Promise<void> {
	await mkdir(dataDir, { recursive: true });
	if (existsSync(file) && statSync(file).size > 0) return;
	const t = performance.now();
	await writeCsvFile(file, PROPERTY_HEADERS, propertyRows(ROWS, 2026));
	out(`generated ${file} (${fmt(statSync(file).size)} bytes) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

async function copyBaseline(pool: pg.Pool): Promise<{ ms: number; rows: number }> {
	const client = await pool.connect();
	try {
		const cols = PROPERTY_HEADERS.map((_, i) => `c${i} text`).join(', ');
		await client.query(`CREATE UNLOGGED TABLE copy_baseline (${cols})`);
		const t = performance.now();
		await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), client.query(copyFrom(`COPY copy_baseline FROM STDIN WITH (FORMAT csv, HEADER true)`)));
		const ms = performance.now() - t;
		const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM copy_baseline');
		await client.query('DROP TABLE copy_baseline');
		return { ms, rows: rows[0]?.n ?? 0 };
	} finally {
		client.release();
	}
}

/** Node's half alone (read, decode, parse, normalise, group, COPY text), for where the time goes. */
async function planOnly(headers: string[]): Promise<number> {
	const read = readerFor(parserById('property') ?? (() => { throw new Error('no parser'); })(), headers);
	const planner = new BatchPlanner(read, headers.length, { importId: '00000000-0000-0000-0000-000000000000', workspaceId: '00000000-0000-0000-0000-000000000000' });
	const t = performance.now();
	let n = 0;
	for await (const piece of readRowBatches(file, { encoding: 'utf-8', delimiter: ',', bomLength: 0, startOffset: 0, rowBase: 0, skipThrough: 0, batchRows: 1 })) {
		planner.add(piece.rows, piece.rows.map((r) => r.rowNumber));
		n += piece.rows.length;
		if (planner.size >= BATCH_ROWS) planner.finish(piece);
	}
	return rate(n, performance.now() - t);
}

async function ingestChild(importId: string): Promise<{
	ms: number;
	maxRssKb: number;
	outcome: { status: string; counts: Record<string, number> };
	timings: Record<string, number>;
	cpuSeconds: { node: number; postgres: number };
}> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'bench/ingest/ingest-child.ts', url, importId, file], {
		cwd: root,
		env: { ...process.env, INGEST_TRACE: process.env.INGEST_TRACE ?? '1', LOG_LEVEL: 'silent', UPLOAD_DIR: dataDir },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	let stdout = '';
	child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
	const [code] = (await once(child, 'exit')) as [number | null];
	if (code !== 0) throw new Error(`ingest child exited with ${code}`);
	return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}

async function main(): Promise<void> {
	out(`bench:ingest — ${fmt(ROWS)} rows, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
	await generate();
	await ensureDatabase(url);
	const handle = createDatabase(url, { max: 4 });
	try {
		await runMigrations(handle);
		const db = handle.db;
		const [ws] = await db.insert(workspaces).values({ name: 'Bench', slug: 'bench' }).returning();
		if (!ws) throw new Error('no workspace');
		const info = await inspectFile(file);
		const [imp] = await db
			.insert(leadImports)
			.values({ workspaceId: ws.id, fileName: 'property.csv', fileSize: info.size, uploadId: 'bench', status: 'queued', encoding: info.encoding, delimiter: info.delimiter, headers: info.headers, parser: 'property' })
			.returning();
		if (!imp) throw new Error('no import');

		const copy = await copyBaseline(handle.pool);
		const nodeRate = ONLY_INGEST ? NaN : await planOnly(info.headers);
		const run = await ingestChild(imp.id);
		const c = run.outcome.counts;
		const ingestRate = rate(c.rowsRead ?? 0, run.ms);
		const copyRate = rate(copy.rows, copy.ms);
		const totals = (await db.execute<Record<string, number>>(sql`SELECT (SELECT count(*)::int FROM leads) AS leads, (SELECT count(*)::int FROM lead_phones) AS phones,
			(SELECT count(*)::int FROM lead_sources) AS sources, (SELECT count(*)::int FROM lead_facts) AS facts, (SELECT count(*)::int FROM source_rows) AS source_rows`)).rows[0] ?? {};

		out();
		out('| measure | value |');
		out('|---|---|');
		out(`| file | ${fmt(ROWS)} rows, ${(info.size / 1024 ** 2).toFixed(0)} MB |`);
		out(`| raw COPY into an unlogged table, no indexes | ${(copy.ms / 1000).toFixed(1)} s, ${fmt(copyRate)} rows/s |`);
		out(`| Node side only (read, parse, normalise, group, COPY text) | ${fmt(nodeRate)} rows/s |`);
		out(`| whole ingest (${run.outcome.status}) | ${(run.ms / 1000).toFixed(1)} s, **${fmt(ingestRate)} rows/s** (target ≥ 50,000) |`);
		out(`| ingest ÷ COPY | ${(ingestRate / copyRate).toFixed(3)} (COPY is ${(copyRate / ingestRate).toFixed(1)}× faster) |`);
		const { node, postgres } = run.cpuSeconds;
		out(`| CPU seconds (load-independent) | ingest process ${node.toFixed(1)} s (${fmt(rate(c.rowsRead ?? 0, node * 1000))} rows per CPU-second), its PostgreSQL backends ${postgres.toFixed(1)} s (${fmt(rate(c.rowsRead ?? 0, postgres * 1000))} rows per CPU-second) |`);
		out(`| peak RSS of the ingest process | ${(run.maxRssKb / 1024).toFixed(0)} MB (target ≤ 400) |`);
		out(`| counts | read ${fmt(c.rowsRead ?? 0)} = created ${fmt(c.leadsCreated ?? 0)} + merged ${fmt(c.leadsMerged ?? 0)} + rejected ${fmt(c.rowsRejected ?? 0)} |`);
		out(`| written | ${Object.entries(totals).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')} |`);
		out();
		out('| statement (summed over batches) | seconds |');
		out('|---|---|');
		for (const [k, v] of Object.entries(run.timings).sort((a, b) => b[1] - a[1])) out(`| ${k} | ${(v / 1000).toFixed(1)} |`);

		if (ONLY_INGEST) return;
		// What storing those rows costs PostgreSQL alone: a bound no write path can beat on one backend.
		const floor = await writeFloor(handle.pool);
		const floorMs = floor.reduce((sum, t) => sum + t.ms, 0);
		out();
		out('| write floor: the same rows inserted again into empty copies of their tables, every index, nothing else | rows | seconds | rows/s |');
		out('|---|---|---|---|');
		for (const t of floor) out(`| ${t.table} | ${fmt(t.rows)} | ${(t.ms / 1000).toFixed(1)} | ${fmt(rate(t.rows, t.ms))} |`);
		out(`| all of them, per file row | ${fmt(c.rowsRead ?? 0)} file rows | ${(floorMs / 1000).toFixed(1)} | **${fmt(rate(c.rowsRead ?? 0, floorMs))} file rows/s** (the whole ingest: ${fmt(ingestRate)}) |`);

		await db.execute(sql`UPDATE leads SET tags = '{hot}' WHERE workspace_id = ${ws.id} AND abs(hashtext(id::text)) % 20 = 0`);
		await db.execute(sql`VACUUM ANALYZE leads`);
		await db.execute(sql`VACUUM ANALYZE lead_phones`);
		const phone = (await db.execute<{ e164: string }>(sql`SELECT e164 FROM lead_phones ORDER BY e164 OFFSET 1000 LIMIT 1`)).rows[0]?.e164 ?? '';
		const street = (await db.execute<{ street: string }>(sql`SELECT street FROM leads WHERE street IS NOT NULL OFFSET 5000 LIMIT 1`)).rows[0]?.street ?? '';
		const cases: SearchCase[] = [
			{ name: `phone exact (${phone})`, filter: { q: phone } },
			{ name: 'name words ("Jennifer Rodri")', filter: { q: 'Jennifer Rodri' } },
			{ name: `address words ("${street}")`, filter: { q: street } },
			{ name: 'state TX + area code 512 + tag hot', filter: { states: ['TX'], areaCodes: ['512'], tags: ['hot'] } },
			{ name: 'keyset page 2 of 50, newest first', filter: {}, secondPage: true },
			{ name: 'keyset page 2 of 50, by name', filter: {}, sort: 'name', secondPage: true }
		];
		out();
		out('| query (leads.search: page + count + phones) | rows | p50 ms | p95 ms | plan uses an index |');
		out('|---|---|---|---|---|');
		const results = [];
		for (const sc of cases) {
			const r = await timeSearch(db, ws.id, sc);
			results.push(r);
			out(`| ${r.name} | ${r.rows} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.usesIndex ? 'yes' : '**no**'} |`);
		}
		for (const r of results) {
			out();
			out(`EXPLAIN — ${r.name}`);
			for (const p of r.plans) out(p.split('\n').map((l) => `    ${l}`).join('\n') + '\n');
		}
	} finally {
		await handle.pool.end();
		if (process.env.BENCH_KEEP_DB) out(`kept the database for inspection: ${url}`);
		else {
			const client = new pg.Client({ connectionString: admin });
			await client.connect();
			await client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
			await client.end();
		}
	}
}

await main();
