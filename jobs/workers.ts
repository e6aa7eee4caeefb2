import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { config } from '../server/config';
import { database } from '../server/db';
import { jobsProcessed } from '../server/metrics';
import { createRedis } from '../server/redis';
import { bullPrefix, queue } from './connection';
import { payloadSchema, queueNames, type QueueName } from './definitions';
import type { Handler, JobScope } from './handler';
import { recordJobEvent } from './job-events';
import { assertHandlers, handlers } from './registry';

export interface WorkerPool {
	close(timeoutMs: number): Promise<void>;
}

async function schedules(): Promise<void> {
	// Idempotent: every worker process upserts the same scheduler id.
	await queue('maintenance').upsertJobScheduler(
		'purge-expired-job-events-hourly',
		{ every: 60 * 60 * 1000 },
		{ name: 'purge-expired-job-events', data: { batchSize: 5_000 } }
	);
}

function processorFor(queueName: QueueName, log: Logger) {
	const table = handlers[queueName] as Record<string, Handler<QueueName, never> | undefined>;
	return async (job: Job): Promise<unknown> => {
		const handler = table[job.name];
		if (!handler) throw new UnrecoverableError(`No handler for ${queueName}/${job.name}`);
		const schema = payloadSchema(queueName, job.name);
		const parsed = schema?.safeParse(job.data);
		if (!parsed?.success) {
			throw new UnrecoverableError(`Invalid payload for ${queueName}/${job.name}: ${parsed?.error.message ?? 'no schema'}`);
		}
		const db = database().db;
		const jobId = job.id ?? '';
		const retentionDays = config().JOB_EVENT_RETENTION_DAYS;
		const started = performance.now();
		const scope: JobScope = {};
		const event = { queue: queueName, jobId, retentionDays, scope };
		try {
			const result = await handler({
				payload: parsed.data as never,
				job,
				db,
				scope,
				log: async (line) => {
					await Promise.all([job.log(line), recordJobEvent(db, { ...event, kind: 'log', data: { line } })]);
				},
				progress: async (value) => {
					await Promise.all([job.updateProgress(value), recordJobEvent(db, { ...event, kind: 'progress', data: value })]);
				},
				state: async (value, detail = {}) => {
					await recordJobEvent(db, { ...event, kind: 'state', data: { state: value, ...detail } });
				}
			});
			jobsProcessed.labels(queueName, 'completed').inc();
			log.info({ queue: queueName, job: job.name, jobId, ms: Math.round(performance.now() - started) }, 'job completed');
			return result;
		} catch (error) {
			jobsProcessed.labels(queueName, 'failed').inc();
			log.warn({ queue: queueName, job: job.name, jobId, err: error }, 'job failed');
			throw error;
		}
	};
}

export async function startWorkers(log: Logger): Promise<WorkerPool> {
	assertHandlers();
	const workers = queueNames.map(
		(name) =>
			new Worker(name, processorFor(name, log), {
				connection: createRedis({ connectionName: `muster-worker-${name}` }),
				prefix: bullPrefix(),
				concurrency: 4,
				autorun: true
			})
	);
	for (const worker of workers) worker.on('error', (err) => log.error({ err, queue: worker.name }, 'worker error'));
	await Promise.all(workers.map((w) => w.waitUntilReady()));
	await schedules();
	log.info({ queues: queueNames }, 'workers started');
	return {
		async close(timeoutMs) {
			// Graceful first: active jobs finish. Past the deadline, force-close so their locks
			// lapse and another worker picks them up (BullMQ's stalled-job recovery).
			let timer: NodeJS.Timeout | undefined;
			const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
			const graceful = Promise.all(workers.map((w) => w.close())).then(() => 'closed' as const);
			const outcome = await Promise.race([graceful, deadline]);
			clearTimeout(timer);
			if (outcome === 'timeout') {
				log.warn('workers did not finish in time; releasing active jobs');
				await Promise.all(workers.map((w) => w.close(true)));
			}
		}
	};
}
