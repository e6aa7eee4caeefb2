/**
 * The process that does the ingest in `npm run bench:ingest`, so its peak RSS is the
 * ingest's own. Prints one JSON line: elapsed ms, final counts, peak RSS, statement times,
 * and CPU seconds of this process and of its PostgreSQL backends (on a machine shared with
 * other work, CPU time says what the ingest costs where wall time says how busy the machine was).
 */
import { readFile } from 'node:fs/promises';
import { createDatabase } from '../../db/client';
import { runImport } from '../../server/leads/ingest/run';
import { timings } from '../../server/leads/ingest/writer';

const [url, importId, path] = process.argv.slice(2);
if (!url || !importId || !path) throw new Error('usage: ingest-child <databaseUrl> <importId> <path>');
const application = 'muster-bench-ingest';
const handle = createDatabase(url, { max: 4, applicationName: application });

/** utime + stime of a local process, in seconds (Linux clock ticks are 1/100 s). */
async function cpuSecondsOf(pid: number): Promise<number> {
	const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100;
}

async function backendCpuSeconds(): Promise<number> {
	const { rows } = await handle.pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [application]);
	const seconds = await Promise.all(rows.map((r) => cpuSecondsOf(r.pid)));
	return seconds.reduce((a, b) => a + b, 0);
}

const cpuBefore = process.cpuUsage();
const started = performance.now();
const outcome = await runImport({ db: handle.db, pool: handle.pool, importId, path });
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = { node: (cpu.user + cpu.system) / 1e6, postgres: await backendCpuSeconds() };
process.stdout.write(JSON.stringify({ ms, outcome, maxRssKb: process.resourceUsage().maxRSS, timings, cpuSeconds }) + '\n');
await handle.pool.end();
