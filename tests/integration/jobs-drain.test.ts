import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { QueueEvents } from 'bullmq';
import pino from 'pino';
import { sql } from 'drizzle-orm';
import { database } from '../../server/db';
import { jobEvents } from '../../db/schema/index';
import { queue } from '../../jobs/connection';
import { enqueue } from '../../jobs/enqueue';
import { startWorkers, type WorkerPool } from '../../jobs/workers';
import { envVars } from '../support/test-env';
import { spawnMuster } from '../support/spawn-server';
import { closeMaintenance, maintenanceEvents, maintenanceIdle } from '../support/maintenance-queue';

// Issue 2: SIGTERM drains within 10 s, finishing or releasing the jobs that are running. A
// purge with batchSize 1 over this many expired rows is still deleting long after the
// worker's (shortened) grace period, so the release path is what this exercises.
const EXPIRED_ROWS = 20_000;
const JOB_ID = 'drain-purge';

let events: QueueEvents;
let workers: WorkerPool | undefined;

beforeAll(async () => {
	events = await maintenanceEvents();
});

afterAll(async () => {
	await closeMaintenance(events, workers);
	await database().db.delete(jobEvents).where(sql`true`);
});

async function expiredLeft(): Promise<number> {
	const result = await database().db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM job_events WHERE expires_at < now()`);
	return result.rows[0]?.n ?? 0;
}

describe('SIGTERM while a job is running', () => {
	it('exits 0 within 10 s, hands the running job back to the queue, and a fresh worker finishes it', async () => {
		const proc = await spawnMuster({
			env: { ...envVars(inject('testEnv')), SHUTDOWN_TIMEOUT_MS: '2000' },
			entry: 'jobs/worker-main.ts',
			readyPattern: /"msg":"workers started"/
		});
		let stopped: { code: number | null; ms: number } | undefined;
		try {
			await maintenanceIdle();
			await database().db.execute(sql`
				INSERT INTO job_events (queue, job_id, kind, data, expires_at)
				SELECT 'ingest', 'old-' || i, 'log', '{"line":"x"}'::jsonb, now() - interval '1 minute'
				FROM generate_series(1, ${EXPIRED_ROWS}) AS i`);
			await enqueue('maintenance', 'purge-expired-job-events', { batchSize: 1 }, { jobId: JOB_ID });
			// Running: active in BullMQ and already deleting.
			await expect.poll(async () => (await queue('maintenance').getJob(JOB_ID))?.getState(), { timeout: 10_000 }).toBe('active');
			await expect.poll(expiredLeft, { timeout: 10_000 }).toBeLessThan(EXPIRED_ROWS);
			stopped = await proc.stop('SIGTERM');
		} finally {
			stopped ??= await proc.stop('SIGKILL');
		}
		expect(stopped.code, proc.output()).toBe(0);
		expect(stopped.ms).toBeLessThan(10_000);
		expect(proc.output()).toMatch(/"msg":"job released at shutdown"/);

		// Back in the queue, not stuck 'active' until a stall check, and not lost.
		const job = await queue('maintenance').getJob(JOB_ID);
		expect(await job?.getState()).toBe('waiting');
		expect(await expiredLeft()).toBeGreaterThan(0);
		// One row per statement, the rest would take minutes on a busy machine: leave the fresh
		// worker a short tail, enough to show it picks the released job up and finishes it.
		await database().db.execute(sql`
			DELETE FROM job_events WHERE id IN (SELECT id FROM job_events WHERE expires_at < now() ORDER BY id OFFSET 200)`);
		const left = await expiredLeft();
		expect(left).toBeGreaterThan(0);

		workers = await startWorkers(pino({ level: 'silent' }));
		const result = (await job?.waitUntilFinished(events, 60_000)) as { deleted: number };
		// A scheduler run the fresh worker starts may purge some of the rest alongside it.
		expect(result.deleted).toBeLessThanOrEqual(left);
		expect(await expiredLeft()).toBe(0);
	}, 150_000);
});
