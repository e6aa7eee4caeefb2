import { Redis, type RedisOptions } from 'ioredis';
import { config } from './config';
import { singleton } from './singleton';

export function createRedis(options: RedisOptions = {}): Redis {
	return new Redis(config().REDIS_URL, {
		// BullMQ's blocking connections need this; plain commands are happy with it too.
		maxRetriesPerRequest: null,
		lazyConnect: false,
		...options
	});
}

/** The shared command connection (not for blocking commands or subscriptions). */
export function redis(): Redis {
	return singleton('redis', () => createRedis({ connectionName: `muster-${config().ROLE}` }));
}

/** Namespaced Redis key: every key we write goes through here or BullMQ's `prefix`. */
export function redisKey(...parts: string[]): string {
	return [config().REDIS_PREFIX, ...parts].join(':');
}
