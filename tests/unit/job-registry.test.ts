import { describe, expect, it } from 'vitest';
import { queues } from '../../jobs/definitions';
import { assertHandlers, HandlerRegistryError, handlers } from '../../jobs/registry';

describe('job handler registry', () => {
	it('has exactly one handler for every declared job', () => {
		expect(() => assertHandlers()).not.toThrow();
		for (const [queue, jobs] of Object.entries(queues)) {
			expect(Object.keys(handlers[queue as keyof typeof handlers]).sort()).toEqual(Object.keys(jobs).sort());
		}
	});

	it('refuses a declared job without a handler', () => {
		expect(() => assertHandlers({ q: { a: 1, b: 1 } }, { q: { a: () => {} } })).toThrow(/q\/b has no handler/);
	});

	it('refuses a handler without a declaration', () => {
		expect(() => assertHandlers({ q: { a: 1 } }, { q: { a: () => {}, z: () => {} } })).toThrow(HandlerRegistryError);
		expect(() => assertHandlers({}, { q: {} })).toThrow(/queue q has handlers but no definition/);
	});
});
