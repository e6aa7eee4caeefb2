/**
 * Counts per bucket (a minute, a day) with a limit, and a union-find over the full ones, so
 * "the first bucket at or after b with room" costs amortised near O(1) however many are full.
 */
export class Buckets {
	private readonly counts = new Map<number, number>();
	private readonly skip = new Map<number, number>();

	constructor(readonly limit: number) {}

	count(b: number): number {
		return this.counts.get(b) ?? 0;
	}

	firstFree(b: number): number {
		if (this.limit <= 0) return Infinity;
		let root = b;
		for (let next = this.skip.get(root); next !== undefined; next = this.skip.get(root)) root = next;
		for (let x = b; x !== root; ) {
			const next = this.skip.get(x)!;
			this.skip.set(x, root);
			x = next;
		}
		return root;
	}

	take(b: number, k = 1): void {
		const c = this.count(b) + k;
		this.counts.set(b, c);
		if (c >= this.limit) this.skip.set(b, b + 1);
	}
}

/** Minute buckets held in arrays, at most, over all senders and campaigns (8 bytes each). */
export const DENSE_CELLS = 1 << 23;

/**
 * Minute buckets over the allocation's own span, in arrays: the maps' lookups, with a few hundred
 * thousand full minutes, were most of the time settling a send took. Buckets outside the span
 * (none, when the span is the sends' earliest minute to the crusade's end) go to a map.
 */
export class DenseBuckets {
	private readonly counts: Int32Array;
	/** For a full bucket, the next one to try, as an offset from `base` plus one; 0 while not full. */
	private readonly skip: Int32Array;
	private readonly outside: Buckets;

	constructor(
		readonly limit: number,
		private readonly base: number,
		span: number
	) {
		this.counts = new Int32Array(span);
		this.skip = new Int32Array(span);
		this.outside = new Buckets(limit);
	}

	count(b: number): number {
		const k = b - this.base;
		return k >= 0 && k < this.counts.length ? this.counts[k]! : this.outside.count(b);
	}

	firstFree(b: number): number {
		if (this.limit <= 0) return Infinity;
		const { skip, base } = this;
		let root = b;
		for (;;) {
			const k = root - base;
			if (k < 0 || k >= skip.length) {
				// The map decides outside the span, unless its answer leads back into it.
				const next = this.outside.firstFree(root);
				const back = next !== root && next - base >= 0 && next - base < skip.length;
				root = next;
				if (back) continue;
				break;
			}
			const next = skip[k]!;
			if (next === 0) break;
			root = next - 1 + base;
		}
		for (let x = b; x !== root; ) {
			const k = x - base;
			if (k < 0 || k >= skip.length) break;
			const next = skip[k]!;
			skip[k] = root - base + 1;
			x = next - 1 + base;
		}
		return root;
	}

	take(b: number, k = 1): void {
		const at = b - this.base;
		if (at < 0 || at >= this.counts.length) return this.outside.take(b, k);
		const c = (this.counts[at] = this.counts[at]! + k);
		if (c >= this.limit) this.skip[at] = at + 2;
	}
}
