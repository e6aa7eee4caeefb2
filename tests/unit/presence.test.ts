import { describe, expect, it } from 'vitest';
import { dropLength, locationKey, normalizeDropText, whereSchema } from '../../realtime/protocol/socket-events';
import { peopleFrom, type PresenceEntry } from '../../realtime/presence/people';
import { TokenBucket } from '../../realtime/presence/token-bucket';
import { ConfigError, parseConfig } from '../../server/config';

const entry = (over: Partial<PresenceEntry>): PresenceEntry => ({
	userId: 'u1',
	displayName: 'Ada',
	page: '/w/acme',
	record: null,
	since: 100,
	at: 100,
	...over
});

describe('places (SPEC P3)', () => {
	it('keys a place by its record when one is open, else by its page', () => {
		expect(locationKey({ page: '/w/acme/leads' })).toBe('page:/w/acme/leads');
		expect(locationKey({ page: '/w/acme', record: { type: 'brief', id: 'b1' } })).toBe('record:brief:b1');
	});

	it.each(['//evil.example/x', '/\\evil.example', 'w/acme', '/w/a b', '/w/a?x=1', `/${'x'.repeat(200)}`])('refuses the page %s', (page) => {
		expect(whereSchema.safeParse({ page }).success).toBe(false);
	});
});

describe('people from tabs (SPEC P4)', () => {
	it('lists someone with several tabs once, at their latest place, since their first tab, with every place', () => {
		const people = peopleFrom([
			entry({ page: '/w/acme/leads', since: 50, at: 300 }),
			entry({ page: '/w/acme/calendar', since: 80, at: 900 }),
			entry({ userId: 'u2', displayName: 'Bea', page: '/w/acme', since: 10, at: 10 })
		]);
		expect(people).toEqual([
			{ userId: 'u1', displayName: 'Ada', page: '/w/acme/calendar', record: null, since: 50, locations: ['page:/w/acme/calendar', 'page:/w/acme/leads'] },
			{ userId: 'u2', displayName: 'Bea', page: '/w/acme', record: null, since: 10, locations: ['page:/w/acme'] }
		]);
	});
});

describe('drop text (SPEC P6)', () => {
	it('turns control characters into spaces, trims, and counts code points', () => {
		expect(normalizeDropText('  hi\u0000there\n\tyou\u2028 ')).toBe('hi there you');
		expect(dropLength('🎉🎉')).toBe(2);
	});
});

describe('cursor throttle (SPEC P5)', () => {
	it('allows a burst, then one per refill interval', () => {
		const bucket = new TokenBucket(5, 50, 0);
		expect(Array.from({ length: 8 }, () => bucket.take(0)).filter(Boolean)).toHaveLength(5);
		expect(bucket.take(40)).toBe(false);
		expect(bucket.take(60)).toBe(true);
		expect(bucket.take(1_000)).toBe(true);
	});
});

describe('DROP_TTL_MS', () => {
	it('defaults to 8 seconds and refuses nonsense', () => {
		expect(parseConfig({}).DROP_TTL_MS).toBe(8_000);
		expect(parseConfig({ DROP_TTL_MS: '3000' }).DROP_TTL_MS).toBe(3_000);
		expect(() => parseConfig({ DROP_TTL_MS: '5' })).toThrow(ConfigError);
	});
});
