import { describe, expect, it } from 'vitest';
import { sendOrder } from '../../server/crusades/send-order';

/** A small deterministic generator, so a failure names its case. */
function rng(seed: number) {
	let s = seed;
	return (n: number) => {
		s = (s * 1103515245 + 12345) % 2147483648;
		return s % n;
	};
}

/** The order by plain comparator sort: instant, then key, then the tie-break. */
function reference(first: Float64Array, key: Float64Array | null, tie: (a: number, b: number) => number): number[] {
	return Array.from(first, (_, i) => i).sort((a, b) => first[a]! - first[b]! || (key ? key[a]! - key[b]! : 0) || tie(a, b));
}

describe('sendOrder, the order the allocator takes sends in', () => {
	it('orders by instant, then tie key, then the tie-break, as a comparator sort does', () => {
		for (let round = 0; round < 40; round++) {
			const r = rng(round + 1);
			const n = 1 + r(3000);
			const base = 1_764_547_200_000;
			// Few distinct instants and keys, so ties of both kinds are common; some sends have no instant.
			const first = Float64Array.from({ length: n }, () => (r(20) === 0 ? Infinity : base + r(round % 2 ? 90_000 : 40) * (round % 3 ? 1 : 1_000_003)));
			const key = Float64Array.from({ length: n }, () => (r(4) === 0 ? 2 ** 52 - 1 - r(3) : r(round % 2 ? 2 ** 30 : 50) * 4096 + r(2)));
			// The exact tie-break: a per-index label in reverse, so it disagrees with input order.
			const label = Int32Array.from({ length: n }, () => r(5));
			const tie = (a: number, b: number) => label[b]! - label[a]! || a - b;
			expect(Array.from(sendOrder(first, key, tie)), `round ${round}`).toEqual(reference(first, key, tie));
			expect(Array.from(sendOrder(first, null, (a, b) => a - b)), `round ${round}, input order`).toEqual(reference(first, null, (a, b) => a - b));
		}
	});

	it('falls back to the comparator for fractional instants and keys it cannot split', () => {
		const first = Float64Array.from([3.5, 1.25, 3.5, 1.25, 0]);
		const key = Float64Array.from([2, 1, 1, 0, 9]);
		expect(Array.from(sendOrder(first, key, (a, b) => a - b))).toEqual([4, 3, 1, 2, 0]);
		const unsafe = Float64Array.from([1, 1, 1]);
		expect(Array.from(sendOrder(unsafe, Float64Array.from([2 ** 53 + 2, -1, 0]), (a, b) => a - b))).toEqual([1, 2, 0]);
	});

	it('handles empty input, one send and sends that all have no instant', () => {
		expect(Array.from(sendOrder(new Float64Array(0), null, (a, b) => a - b))).toEqual([]);
		expect(Array.from(sendOrder(Float64Array.from([5]), Float64Array.from([7]), (a, b) => a - b))).toEqual([0]);
		const none = Float64Array.from([Infinity, Infinity, Infinity]);
		expect(Array.from(sendOrder(none, Float64Array.from([3, 1, 2]), (a, b) => a - b))).toEqual([1, 2, 0]);
	});
});
