import type { JobsOptions } from 'bullmq';
import { payloadSchema, type JobName, type JobPayload, type QueueName } from './definitions';
import { queue } from './connection';

export class InvalidJobPayloadError extends Error {
	override name = 'InvalidJobPayloadError';
}

/**
 * Adds a job after validating its payload. Pass `jobId` for work that must happen once:
 * BullMQ ignores a second add with the same id, which makes producer retries idempotent.
 */
export async function enqueue<Q extends QueueName, N extends JobName<Q>>(
	queueName: Q,
	name: N,
	payload: JobPayload<Q, N>,
	options: JobsOptions = {}
): Promise<string> {
	const schema = payloadSchema(queueName, name);
	if (!schema) throw new InvalidJobPayloadError(`Unknown job ${queueName}/${name}`);
	const parsed = schema.safeParse(payload);
	if (!parsed.success) throw new InvalidJobPayloadError(`Invalid payload for ${queueName}/${name}: ${parsed.error.message}`);
	const job = await queue(queueName).add(name, parsed.data, {
		removeOnComplete: { age: 24 * 3600, count: 1000 },
		removeOnFail: { age: 7 * 24 * 3600 },
		attempts: 3,
		backoff: { type: 'exponential', delay: 1000 },
		...options
	});
	return job.id ?? '';
}
