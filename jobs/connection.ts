import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { config } from '../server/config';
import { createRedis } from '../server/redis';
import { singleton } from '../server/singleton';
import { queueNames, type QueueName } from './definitions';

/** Shared by producers (Queue objects); each Worker opens its own blocking connection. */
export function bullConnection(): Redis {
	return singleton('bull-connection', () => createRedis({ connectionName: `muster-bull-${config().ROLE}` }));
}

export function bullPrefix(): string {
	return `${config().REDIS_PREFIX}:bull`;
}

export function queue(name: QueueName): Queue {
	return singleton(`queue:${name}`, () => new Queue(name, { connection: bullConnection(), prefix: bullPrefix() }));
}

export function allQueues(): Queue[] {
	return queueNames.map((name) => queue(name));
}
