import type { Redis } from 'ioredis';
import type { PresenceList } from '../protocol/socket-events';
import { parseEntries, peopleFrom, type PresenceEntry } from './people';

/**
 * Who is in a workspace, shared by every instance through Redis and never written to
 * Postgres (P1). Per workspace: a hash of tab entries (field = socket id), a sorted set of
 * when each tab was last vouched for by its instance, and a version counter. One script
 * sweeps stale tabs, applies the change, bumps the version and reads the hash back, all
 * atomically, so a list and its version always agree (P4).
 */
const SCRIPT = `
local now = tonumber(ARGV[1])
local op = ARGV[4]
local changed = 0
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[2])
for _, field in ipairs(stale) do
  changed = changed + redis.call('HDEL', KEYS[1], field)
  redis.call('ZREM', KEYS[2], field)
end
if op == 'set' then
  for i = 5, #ARGV, 2 do
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
    redis.call('ZADD', KEYS[2], now, ARGV[i])
    changed = changed + 1
  end
elseif op == 'touch' then
  for i = 5, #ARGV, 2 do
    changed = changed + redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1])
    redis.call('ZADD', KEYS[2], now, ARGV[i])
  end
elseif op == 'del' then
  for i = 5, #ARGV do
    changed = changed + redis.call('HDEL', KEYS[1], ARGV[i])
    redis.call('ZREM', KEYS[2], ARGV[i])
  end
end
local ttl = tonumber(ARGV[3])
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
if changed == 0 and op ~= 'read' then return {0} end
local version = tonumber(redis.call('GET', KEYS[3]) or '0')
if changed > 0 then
  version = redis.call('INCR', KEYS[3])
  if version < now then
    version = now
    redis.call('SET', KEYS[3], version)
  end
  redis.call('PEXPIRE', KEYS[3], ttl)
end
return {version, redis.call('HVALS', KEYS[1])}
`;

export interface PresenceStoreOptions {
	/** A tab not vouched for by its instance for this long is gone (its instance died). */
	staleMs: number;
	/** Keys of a workspace nobody is in expire after this long. */
	ttlMs: number;
}

type Op = { op: 'set' | 'touch'; entries: Map<string, PresenceEntry> } | { op: 'del'; sockets: string[] } | { op: 'read' };

export class PresenceStore {
	constructor(
		private readonly redis: Redis,
		/** Namespaces a key (`redisKey` from server/redis.ts). */
		private readonly key: (...parts: string[]) => string,
		private readonly options: PresenceStoreOptions = { staleMs: 30_000, ttlMs: 120_000 }
	) {}

	/** Adds or replaces tabs; answers the new list. */
	set(workspaceId: string, entries: Map<string, PresenceEntry>): Promise<PresenceList | null> {
		return this.#run(workspaceId, { op: 'set', entries });
	}

	/** Vouches for tabs that are still here (re-adding any Redis lost); a list only if something changed. */
	touch(workspaceId: string, entries: Map<string, PresenceEntry>): Promise<PresenceList | null> {
		return this.#run(workspaceId, { op: 'touch', entries });
	}

	/** The list as it is (after sweeping stale tabs). */
	async read(workspaceId: string): Promise<PresenceList> {
		return (await this.#run(workspaceId, { op: 'read' })) ?? { workspaceId, version: 0, people: [] };
	}

	/** Removes tabs; a list only if one was there. */
	remove(workspaceId: string, sockets: string[]): Promise<PresenceList | null> {
		return this.#run(workspaceId, { op: 'del', sockets });
	}

	async #run(workspaceId: string, change: Op): Promise<PresenceList | null> {
		const args =
			change.op === 'read'
				? []
				: change.op === 'del'
					? change.sockets
					: [...change.entries].flatMap(([socket, entry]) => [socket, JSON.stringify(entry)]);
		const now = Date.now();
		const keys = [this.key('presence', workspaceId), this.key('presence', workspaceId, 'seen'), this.key('presence', workspaceId, 'version')];
		const [version, values] = (await this.redis.eval(
			SCRIPT,
			keys.length,
			...keys,
			now,
			now - this.options.staleMs,
			this.options.ttlMs,
			change.op,
			...args
		)) as [number, string[] | undefined];
		if (values === undefined) return null;
		return { workspaceId, version, people: peopleFrom(parseEntries(values)) };
	}
}
