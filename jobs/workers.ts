import { setTimeout as sleep } from 'node:timers/promises';
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
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
	await queue('maintenance').upsertJobScheduler('drop-orphan-dry-run-tables-hourly', { every: 60 * 60 * 1000 }, { name: 'drop-orphan-dry-run-tables', data: {} });
}

/** Why a job's signal is aborted: the only reason this process cancels its own jobs. */
const SHUTDOWN = 'worker shutting down';
/** How long a handler gets, once its signal is aborted, to stop at a safe point before its job is released. */
const RELEASE_GRACE_MS = 500;

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

function processorFor(queueName: QueueName, log: Logger) {
	const table = handlers[queueName] as Record<string, Handler<QueueName, never> | undefined>;
	// Three parameters: BullMQ only hands a processor an abort signal when it declares one.
	return async (job: Job, token: string | undefined, signal?: AbortSignal): Promise<unknown> => {
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
		const stop = signal ?? new AbortController().signal;
		const work: Promise<Settled> = handler({
			payload: parsed.data as never,
			job,
			db,
			scope,
			signal: stop,
			log: async (line) => {
				await Promise.all([job.log(line), recordJobEvent(db, { ...event, kind: 'log', data: { line } })]);
			},
			progress: async (value) => {
				await Promise.all([job.updateProgress(value), recordJobEvent(db, { ...event, kind: 'progress', data: value })]);
			},
			state: async (value, detail = {}) => {
				await recordJobEvent(db, { ...event, kind: 'state', data: { state: value, ...detail } });
			}
		}).then(
			(value) => ({ ok: true, value }),
			(error: unknown) => ({ ok: false, error })
		);
		let outcome: Settled | 'aborted' | 'running' = await Promise.race([work, aborted(stop)]);
		if (outcome === 'aborted') {
			// Shutdown past its grace period: a handler that heeds the signal stops between units
			// of work; one that does not is left to die with the process (its pools close under
			// it). Either way the job goes back to the front of the queue now, rather than
			// sitting 'active' until its lock lapses and another worker's stall check finds it.
			outcome = await Promise.race([work, sleep(RELEASE_GRACE_MS, 'running' as const)]);
			if (outcome === 'running' || !outcome.ok) {
				await job.moveToWait(token);
				jobsProcessed.labels(queueName, 'released').inc();
				log.warn({ queue: queueName, job: job.name, jobId }, 'job released at shutdown');
				// Tells BullMQ the job already left 'active', so it neither completes nor fails it.
				throw new WaitingError(SHUTDOWN);
			}
		}
		if (!outcome.ok) {
			jobsProcessed.labels(queueName, 'failed').inc();
			log.warn({ queue: queueName, job: job.name, jobId, err: outcome.error }, 'job failed');
			throw outcome.error;
		}
		jobsProcessed.labels(queueName, 'completed').inc();
		log.info({ queue: queueName, job: job.name, jobId, ms: Math.round(performance.now() - started) }, 'job completed');
		return outcome.value;
	};
}

function aborted(signal: AbortSignal): Promise<'aborted'> {
	if (signal.aborted) return Promise.resolve('aborted');
	return new Promise((resolve) => signal.addEventListener('abort', () => resolve('aborted'), { once: true }));
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
			// Graceful first: stop fetching, let active jobs finish. Past the deadline, abort them
			// so each processor hands its job back to the queue (see processorFor); then the
			// graceful close completes. (A second `close(true)` would not help: BullMQ returns the
			// close already under way, which still waits for the jobs.)
			let timer: NodeJS.Timeout | undefined;
			const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
			const graceful = Promise.all(workers.map((w) => w.close())).then(() => 'closed' as const);
			const outcome = await Promise.race([graceful, deadline]);
			clearTimeout(timer);
			if (outcome === 'timeout') {
				log.warn('workers did not finish in time; releasing active jobs');
				for (const worker of workers) worker.cancelAllJobs(SHUTDOWN);
				await graceful;
			}
		}
	};
}
