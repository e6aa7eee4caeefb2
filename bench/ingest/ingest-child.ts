/**
 * The process that does the ingest in `npm run bench:ingest`, so its peak RSS is the
 * ingest's own. Prints one JSON line: elapsed ms, final counts, peak RSS, statement times.
 */
import { createDatabase } from '../../db/client';
import { runImport } from '../../server/leads/ingest/run';
import { timings } from '../../server/leads/ingest/writer';

const [url, importId, path] = process.argv.slice(2);
if (!url || !importId || !path) throw new Error('usage: ingest-child <databaseUrl> <importId> <path>');
const handle = createDatabase(url, { max: 4, applicationName: 'muster-bench-ingest' });
const started = performance.now();
const outcome = await runImport({ db: handle.db, pool: handle.pool, importId, path });
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, outcome, maxRssKb: process.resourceUsage().maxRSS, timings }) + '\n');
await handle.pool.end();
