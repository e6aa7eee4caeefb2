import type { Redis } from 'ioredis';
import { RateLimitedError } from '../errors';

/**
 * Token buckets in Redis, so every process shares them. One atomic script refills by
 * elapsed time and takes a token; the answer says how long until the next one.
 */
const SCRIPT = `
local key = KEYS[1]
local capacity = tonumber(ARGV[1])
local refill_ms = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local state = redis.call('HMGET', key, 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
local elapsed = math.max(0, now - at)
tokens = math.min(capacity, tokens + elapsed / refill_ms)
local allowed = 0
local wait_ms = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  wait_ms = math.ceil((cost - tokens) * refill_ms)
end
redis.call('HSET', key, 'tokens', tokens, 'at', now)
redis.call('PEXPIRE', key, math.ceil(capacity * refill_ms) + 1000)
return {allowed, wait_ms}
`;

export interface BucketRule {
	/** Burst size. */
	capacity: number;
	/** One token comes back every this many milliseconds. */
	refillMs: number;
}

export const RATE_RULES = {
	// Roomy: the login page asks for a challenge on load (passkey autofill), and offices share an IP.
	challengeIp: { capacity: 60, refillMs: 1_000 },
	loginIp: { capacity: 20, refillMs: 3_000 },
	loginAccount: { capacity: 10, refillMs: 6_000 },
	recoveryIp: { capacity: 10, refillMs: 60_000 },
	recoveryAccount: { capacity: 5, refillMs: 12 * 60_000 },
	inviteIp: { capacity: 20, refillMs: 10_000 },
	inviteAccount: { capacity: 30, refillMs: 60_000 },
	// Drops (short notes on a page), per person across all their tabs and instances.
	drop: { capacity: 5, refillMs: 2_000 }
} satisfies Record<string, BucketRule>;

export type RateRuleName = keyof typeof RATE_RULES;

export class RateLimiter {
	constructor(
		private readonly redis: Redis,
		private readonly prefix: string,
		private readonly rules: Record<string, BucketRule> = RATE_RULES
	) {}

	/** Takes a token or throws RateLimitedError with the seconds to wait. */
	async consume(rule: RateRuleName, subject: string, cost = 1): Promise<void> {
		const r = this.rules[rule];
		if (!r) throw new Error(`unknown rate rule ${rule}`);
		const key = `${this.prefix}:rl:${rule}:${subject}`;
		const [allowed, waitMs] = (await this.redis.eval(SCRIPT, 1, key, r.capacity, r.refillMs, Date.now(), cost)) as [number, number];
		if (allowed !== 1) throw new RateLimitedError(Math.max(1, Math.ceil(waitMs / 1000)));
	}
}
