import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { QueueEvents } from 'bullmq';
import pino from 'pino';
import { sql } from 'drizzle-orm';
import { database } from '../../server/db';
import { jobEvents } from '../../db/schema/index';
import { queue } from '../../jobs/connection';
import { enqueue, InvalidJobPayloadError } from '../../jobs/enqueue';
import { listJobEvents } from '../../jobs/job-events';
import { startWorkers, type WorkerPool } from '../../jobs/workers';
import { envVars } from '../support/test-env';
import { spawnMuster } from '../support/spawn-server';
import { closeMaintenance, maintenanceEvents, maintenanceIdle } from '../support/maintenance-queue';

let workers: WorkerPool | undefined;
let events: QueueEvents;

beforeAll(async () => {
	events = await maintenanceEvents();
});

afterAll(async () => {
	await closeMaintenance(events, workers);
});

async function seed(): Promise<void> {
	const db = database().db;
	await db.delete(jobEvents).where(sql`true`);
	const past = new Date(Date.now() - 60_000);
	const future = new Date(Date.now() + 3_600_000);
	await db.insert(jobEvents).values([
		...Array.from({ length: 7 }, (_, i) => ({ queue: 'ingest', jobId: `old-${i}`, kind: 'log' as const, data: { line: 'x' }, expiresAt: past })),
		{ queue: 'ingest', jobId: 'fresh', kind: 'log' as const, data: { line: 'keep me' }, expiresAt: future }
	]);
}

describe('maintenance queue', () => {
	it('validates payloads when a job is enqueued', async () => {
		await expect(enqueue('maintenance', 'purge-expired-job-events', { batchSize: -1 })).rejects.toThrow(InvalidJobPayloadError);
	});

	it('deletes expired job events, keeps the rest, and logs what it did', async () => {
		workers = await startWorkers(pino({ level: 'silent' }));
		await maintenanceIdle();
		await seed();
		const id = await enqueue('maintenance', 'purge-expired-job-events', { batchSize: 3 }, { jobId: 'purge-test-1' });
		const job = await queue('maintenance').getJob(id);
		const result = (await job?.waitUntilFinished(events, 10_000)) as { deleted: number };
		expect(result.deleted).toBe(7);
		const left = await database().db.select({ jobId: jobEvents.jobId }).from(jobEvents).where(sql`${jobEvents.queue} = 'ingest'`);
		expect(left).toEqual([{ jobId: 'fresh' }]);
		const log = await listJobEvents(database().db, 'maintenance', id);
		expect(log.map((e) => e.data)).toContainEqual({ line: 'deleted 7 expired job events' });
	});

	it('treats a second enqueue with the same job id as the same job', async () => {
		const a = await enqueue('maintenance', 'purge-expired-job-events', {}, { jobId: 'purge-test-1' });
		expect(a).toBe('purge-test-1');
		const counts = await queue('maintenance').getJobCounts('completed', 'waiting', 'active');
		expect((counts.completed ?? 0) + (counts.waiting ?? 0) + (counts.active ?? 0)).toBeGreaterThanOrEqual(1);
		const all = await queue('maintenance').getJobs(['completed', 'waiting', 'active']);
		expect(all.filter((j) => j.id === 'purge-test-1')).toHaveLength(1);
	});

	it('schedules the purge to repeat', async () => {
		const schedulers = await queue('maintenance').getJobSchedulers();
		expect(schedulers.map((s) => s.key)).toContain('purge-expired-job-events-hourly');
	});
});

describe('ROLE=worker process', () => {
	it('processes jobs without serving HTTP and stops cleanly on SIGTERM', async () => {
		await workers?.close(2_000);
		workers = undefined;
		const proc = await spawnMuster({ env: envVars(inject('testEnv')), entry: 'jobs/worker-main.ts', readyPattern: /"msg":"workers started"/ });
		try {
			await maintenanceIdle();
			await seed();
			expect(proc.output()).not.toMatch(/listening/);
			const id = await enqueue('maintenance', 'purge-expired-job-events', {}, { jobId: 'purge-by-worker' });
			const job = await queue('maintenance').getJob(id);
			expect(await job?.waitUntilFinished(events, 10_000)).toEqual({ deleted: 7 });
		} finally {
			const { code, ms } = await proc.stop('SIGTERM');
			expect(code).toBe(0);
			expect(ms).toBeLessThan(10_000);
		}
	});
});
