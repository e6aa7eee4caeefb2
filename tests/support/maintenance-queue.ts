import { QueueEvents } from 'bullmq';
import { expect } from 'vitest';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { createRedis } from '../../server/redis';
import { bullPrefix, queue } from '../../jobs/connection';
import type { WorkerPool } from '../../jobs/workers';

/** Boots the test database and follows the maintenance queue's events (for waitUntilFinished). */
export async function maintenanceEvents(): Promise<QueueEvents> {
	await bootstrap(config());
	const events = new QueueEvents('maintenance', { connection: createRedis(), prefix: bullPrefix() });
	await events.waitUntilReady();
	return events;
}

/** The hourly schedulers run once when a worker starts; wait for them so they do not race our own jobs. */
export async function maintenanceIdle(): Promise<void> {
	await expect
		.poll(async () => {
			const c = await queue('maintenance').getJobCounts('waiting', 'active');
			return (c.waiting ?? 0) + (c.active ?? 0);
		}, { timeout: 10_000 })
		.toBe(0);
}

/** For afterAll: stops the in-process workers a test started, the event follower, and empties the queue. */
export async function closeMaintenance(events: QueueEvents | undefined, workers: WorkerPool | undefined): Promise<void> {
	await workers?.close(2_000);
	await events?.close();
	await queue('maintenance').obliterate({ force: true });
}
