import { z } from 'zod';

/**
 * Every queue, every job name on it, and the zod schema of its payload. Producers and
 * workers both go through this table, so a payload is checked when it is enqueued and again
 * when it is handled (a job may outlive a deploy that changed its shape).
 */
export const queues = {
	maintenance: {
		'purge-expired-job-events': z.object({ batchSize: z.number().int().min(1).max(100_000).default(5_000) }),
		/** Drops dry-run result tables whose run is gone or died detached (server/dryrun/results-table.ts). */
		'drop-orphan-dry-run-tables': z.object({})
	},
	ingest: {
		/** Reads one configured lead import to the end; the job id is the import id. */
		'run-import': z.object({ importId: z.uuid() })
	},
	dryrun: {
		/** Runs one dry-run (its input is on the `dry_runs` row); the job id is the run id. */
		run: z.object({ runId: z.uuid() })
	}
} as const satisfies Record<string, Record<string, z.ZodType>>;

export type QueueName = keyof typeof queues;
export type JobName<Q extends QueueName> = keyof (typeof queues)[Q] & string;
export type JobPayload<Q extends QueueName, N extends JobName<Q>> = z.input<(typeof queues)[Q][N]>;
export type ParsedPayload<Q extends QueueName, N extends JobName<Q>> = z.output<(typeof queues)[Q][N]>;

export const queueNames = Object.keys(queues) as QueueName[];

export function payloadSchema<Q extends QueueName>(queue: Q, name: string): z.ZodType | undefined {
	const jobs = queues[queue] as Record<string, z.ZodType>;
	return jobs[name];
}
