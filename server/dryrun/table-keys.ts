/**
 * Keys for the dry-run's open-addressing tables (best-phones.ts, candidates.ts): numbers kept in
 * Float64Arrays, because a Map keyed by numbers past 2^31 boxes every key and one keyed by a
 * million strings holds every COPY chunk its keys were sliced from.
 */

/** A uuid's length as text. */
export const ID_LENGTH = 36;

/** 13 hex digits of a uuid as a number (52 bits, exact): its order is the ids' text order. */
export function uuidKey(id: string): number {
	let k = 0;
	for (let i = 0, n = 0; n < 13; i++) {
		const c = id.charCodeAt(i);
		if (c === 45) continue; // '-'
		k = k * 16 + (c <= 57 ? c - 48 : (c | 32) - 87);
		n++;
	}
	return k;
}

/** A slot for a key below 2^53 in a table of a power-of-two size. */
export function slotOf(key: number, mask: number): number {
	return (Math.imul((key % 4_294_967_296) ^ Math.floor(key / 4_294_967_296), 0x9e3779b1) >>> 0) & mask;
}

/**
 * The table of `keys` (0 = empty) and their `values` at twice the size, every key re-placed by
 * linear probing: the growth step both tables share.
 */
export function doubled(keys: Float64Array, values: Int32Array): { keys: Float64Array; values: Int32Array } {
	const next = { keys: new Float64Array(keys.length * 2), values: new Int32Array(keys.length * 2) };
	const mask = next.keys.length - 1;
	for (let i = 0; i < keys.length; i++) {
		const key = keys[i]!;
		if (key === 0) continue;
		let h = slotOf(key, mask);
		while (next.keys[h] !== 0) h = (h + 1) & mask;
		next.keys[h] = key;
		next.values[h] = values[i]!;
	}
	return next;
}

/**
 * Writes a uuid's 36 ASCII characters into `buf` at `at`: one call into C++, faster than a loop
 * of `charCodeAt` over a slice of a COPY chunk (~60 against ~80–110 ns here).
 */
export function writeId(id: string, buf: Buffer, at: number): void {
	buf.write(id, at, ID_LENGTH, 'latin1');
}

/** A copy of a typed array at a larger size (the tables' and columns' growth step). */
export function widened<T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(a: T, size: number): T {
	const b = new (a.constructor as new (n: number) => T)(size);
	b.set(a);
	return b;
}
