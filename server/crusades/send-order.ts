/**
 * The order the allocator takes sends in: by earliest instant, then by a tie key (the dry-run's
 * lead ids as numbers), then by a tie-break for equal keys, then by index. A comparator sort made
 * ~20 calls into JavaScript per send (half a second for 600,000 sends); this is an LSD radix sort
 * of the indices, 16 bits a pass, over the instant and the key as whole numbers, with the
 * comparator kept only for the rare runs whose instant and key are both equal.
 */

const DIGIT = 16;
const BUCKETS = 1 << DIGIT;
const TWO_32 = 4_294_967_296;
/** Instants more than this far apart (in ms, ~8,900 years) go by the comparator instead. */
const MAX_SPAN = 2 ** 48;

/** Splits whole numbers below 2^53 into two 32-bit words, for digit extraction by shifts. */
function words(values: ArrayLike<number>, n: number): { hi: Uint32Array; lo: Uint32Array; bits: number } {
	const hi = new Uint32Array(n);
	const lo = new Uint32Array(n);
	let max = 0;
	for (let i = 0; i < n; i++) {
		const v = values[i]!;
		if (v > max) max = v;
		hi[i] = Math.floor(v / TWO_32);
		lo[i] = v % TWO_32;
	}
	return { hi, lo, bits: max === 0 ? 0 : Math.floor(Math.log2(max)) + 1 };
}

/** One stable counting-sort pass of `from` into `to` by the 16-bit digit at `shift` of (hi, lo). */
function pass(from: Uint32Array, to: Uint32Array, hi: Uint32Array, lo: Uint32Array, shift: number, count: Int32Array): void {
	count.fill(0);
	const word = shift >= 32 ? hi : lo;
	const s = shift % 32;
	const n = from.length;
	for (let k = 0; k < n; k++) count[(word[from[k]!]! >>> s) & (BUCKETS - 1)]!++;
	let sum = 0;
	for (let d = 0; d < BUCKETS; d++) {
		const c = count[d]!;
		count[d] = sum;
		sum += c;
	}
	for (let k = 0; k < n; k++) {
		const i = from[k]!;
		to[count[(word[i]! >>> s) & (BUCKETS - 1)]!++] = i;
	}
}

/** Whether every finite instant is a whole number and they all fit one span the passes can cover. */
function radixable(first: Float64Array, tieKey: Float64Array | null): { min: number; max: number } | null {
	let min = Infinity;
	let max = -Infinity;
	for (let i = 0; i < first.length; i++) {
		const f = first[i]!;
		if (f === Infinity) continue;
		if (!Number.isInteger(f)) return null;
		if (f < min) min = f;
		if (f > max) max = f;
	}
	if (tieKey) for (let i = 0; i < tieKey.length; i++) if (!Number.isSafeInteger(tieKey[i]!) || tieKey[i]! < 0) return null;
	if (min === Infinity) return { min: 0, max: 0 };
	return max - min < MAX_SPAN ? { min, max } : null;
}

/**
 * Indices 0..n-1 in send order. `first`: each send's earliest instant in ms (Infinity when it has
 * none); `tieKey`: whole numbers in [0, 2^53) whose order is the tie order, or null for input
 * order; `tie`: the exact order of two sends with equal instants and keys.
 */
export function sendOrder(first: Float64Array, tieKey: Float64Array | null, tie: (a: number, b: number) => number): Uint32Array {
	const n = first.length;
	let order = new Uint32Array(n);
	for (let i = 0; i < n; i++) order[i] = i;
	const range = radixable(first, tieKey);
	if (!range) return order.sort((a, b) => first[a]! - first[b]! || (tieKey ? tieKey[a]! - tieKey[b]! : 0) || tie(a, b));

	// Least significant first: the tie key, then the instant (relative to the earliest; sends with
	// none after every other); each pass is stable, so it keeps the order of the ones before it.
	const rel = new Float64Array(n);
	for (let i = 0; i < n; i++) rel[i] = first[i] === Infinity ? range.max - range.min + 1 : first[i]! - range.min;
	let spare = new Uint32Array(n);
	const count = new Int32Array(BUCKETS);
	for (const values of tieKey ? [tieKey, rel] : [rel]) {
		const { hi, lo, bits } = words(values, n);
		for (let shift = 0; shift < bits; shift += DIGIT) {
			pass(order, spare, hi, lo, shift, count);
			[order, spare] = [spare, order];
		}
	}
	if (tieKey) {
		// Runs of equal instant and key (two ids sharing their key's digits): the exact tie-break.
		for (let start = 0; start < n; ) {
			let end = start + 1;
			while (end < n && rel[order[end]!] === rel[order[start]!] && tieKey[order[end]!] === tieKey[order[start]!]) end++;
			if (end - start > 1) order.subarray(start, end).sort(tie);
			start = end;
		}
	}
	return order;
}
