import { describe, expect, it } from 'vitest';
import { Buckets, DenseBuckets } from '../../server/crusades/buckets';

describe('minute buckets in arrays', () => {
	it('answers every count, first-free and take exactly as the map-backed buckets do, inside and outside their span', () => {
		for (let round = 0; round < 30; round++) {
			let s = round + 1;
			const r = (n: number) => {
				s = (s * 1103515245 + 12345) % 2147483648;
				return s % n;
			};
			const limit = 1 + r(4);
			const base = 29_400_000 + r(1000);
			const span = 20 + r(200);
			const map = new Buckets(limit);
			const dense = new DenseBuckets(limit, base, span);
			for (let op = 0; op < 4000; op++) {
				// Mostly inside the span, sometimes just before it or past its end.
				const b = base - 5 + r(span + 15);
				const kind = r(3);
				if (kind === 0) expect(dense.count(b), `round ${round} op ${op} count ${b}`).toBe(map.count(b));
				else if (kind === 1) expect(dense.firstFree(b), `round ${round} op ${op} firstFree ${b}`).toBe(map.firstFree(b));
				else {
					// The allocator only ever takes a bucket that firstFree gave it.
					const free = map.firstFree(b);
					expect(dense.firstFree(b)).toBe(free);
					const k = 1 + r(2);
					map.take(free, k);
					dense.take(free, k);
				}
			}
		}
	});

	it('is never free when the limit is zero', () => {
		expect(new DenseBuckets(0, 100, 10).firstFree(105)).toBe(Infinity);
	});
});
