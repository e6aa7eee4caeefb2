import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { leadImports } from '../../db/schema/index';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { database } from '../../server/db';
import { configureImport, startImport } from '../../server/leads/imports';
import { queue } from '../../jobs/connection';
import { listJobEvents } from '../../jobs/job-events';
import { csvText, PROPERTY_HEADERS, propertyRows } from '../fixtures/generate-leads';
import { seedUser } from '../support/identity';
import { importBytes, uploadFile, workspaceCounts } from '../support/imports';
import { spawnMuster, type RunningServer } from '../support/spawn-server';
import { envVars } from '../support/test-env';

const uploadDir = mkdtempSync(join(tmpdir(), 'muster-resume-'));
process.env.UPLOAD_DIR = uploadDir;
const ROWS = 20_000;
const BATCH = 1_000;

const running: RunningServer[] = [];
const worker = () =>
	spawnMuster({
		env: { ...envVars(inject('testEnv')), UPLOAD_DIR: uploadDir, INGEST_BATCH_ROWS: String(BATCH) },
		entry: 'jobs/worker-main.ts',
		readyPattern: /"msg":"workers started"/
	}).then((w) => (running.push(w), w));

beforeAll(async () => {
	await bootstrap(config());
});

afterAll(async () => {
	await Promise.all(running.map((w) => w.stop('SIGKILL')));
	await queue('ingest').obliterate({ force: true });
});

const row = async (id: string) => (await database().db.select().from(leadImports).where(eq(leadImports.id, id)))[0];

describe('a worker killed mid-import', () => {
	it('resumes after the last committed batch in another worker and ends with exact counts', { timeout: 240_000 }, async () => {
		const bytes = Buffer.from(csvText(PROPERTY_HEADERS, propertyRows(ROWS, 41)));
		const killed = await seedUser('resume');
		const ws = killed.workspace?.id ?? '';
		const importId = await uploadFile(ws, killed.user.id, bytes, 'big.csv');
		await configureImport(database().db, ws, importId, { parser: 'property', consentBasis: 'none' });

		const first = await worker();
		await startImport(database().db, ws, importId);
		await expect.poll(async () => (await row(importId))?.rowsRead ?? 0, { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(2 * BATCH);
		await first.stop('SIGKILL');
		const atKill = await row(importId);
		expect(atKill?.status).toBe('running');
		expect(atKill?.rowsRead).toBeLessThan(ROWS);
		expect(atKill?.rowsRead).toBe(atKill?.resumeRow);

		// BullMQ hands the job to the next worker once the dead one's lock lapses (stalled-job recovery).
		await worker();
		await expect.poll(async () => (await row(importId))?.status, { timeout: 150_000, interval: 500 }).toBe('completed');

		const done = await row(importId);
		expect(done?.rowsRead).toBe(ROWS);
		expect((done?.leadsCreated ?? 0) + (done?.leadsMerged ?? 0) + (done?.rowsRejected ?? 0)).toBe(ROWS);
		const logs = (await listJobEvents(database().db, 'ingest', importId)).filter((e) => e.kind === 'log').map((e) => (e.data as { line: string }).line);
		expect(logs).toContainEqual(expect.stringMatching(new RegExp(`^resuming after row \\d+ at byte \\d+`)));

		const db = database().db;
		const rows = await db.execute<{ n: number; distinct_rows: number; max: number }>(
			sql`SELECT count(*)::int AS n, count(DISTINCT row_number)::int AS distinct_rows, max(row_number) AS max FROM source_rows WHERE import_id = ${importId}`
		);
		expect(rows.rows[0]).toEqual({ n: ROWS, distinct_rows: ROWS, max: ROWS });
		const created = await db.execute<{ rows: number; leads: number; all_leads: number; dup_keys: number; orphan_rows: number }>(sql`
			SELECT (SELECT count(DISTINCT s.source_row_id)::int FROM lead_sources s WHERE s.import_id = ${importId} AND s.created) AS rows,
				(SELECT count(*)::int FROM lead_sources s WHERE s.import_id = ${importId} AND s.created) AS leads,
				(SELECT count(*)::int FROM leads WHERE workspace_id = ${ws}) AS all_leads,
				(SELECT count(*)::int FROM (SELECT 1 FROM leads WHERE workspace_id = ${ws} AND name_address_key IS NOT NULL GROUP BY name_address_key HAVING count(*) > 1) d) AS dup_keys,
				(SELECT count(*)::int FROM source_rows r WHERE r.import_id = ${importId} AND r.reject_reason IS NULL
					AND NOT EXISTS (SELECT 1 FROM lead_sources s WHERE s.source_row_id = r.id)) AS orphan_rows`);
		// Every lead was created exactly once, by a row counted as "created"; no accepted row is without its lead.
		expect(created.rows[0]).toEqual({ rows: done?.leadsCreated, leads: created.rows[0]?.all_leads, all_leads: created.rows[0]?.all_leads, dup_keys: 0, orphan_rows: 0 });

		// The same file imported without interruption, elsewhere, makes as many leads and phones.
		const reference = await seedUser('resume-reference');
		const refWs = reference.workspace?.id ?? '';
		const ref = await importBytes(refWs, reference.user.id, bytes, { parser: 'property', batchRows: BATCH });
		expect(ref.rowsRead).toBe(ROWS);
		const [a, b] = [await workspaceCounts(ws), await workspaceCounts(refWs)];
		expect({ leads: a.leads, phones: a.phones, rows: a.rows }).toEqual({ leads: b.leads, phones: b.phones, rows: b.rows });
	});
});
