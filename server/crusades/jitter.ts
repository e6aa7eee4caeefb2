/**
 * Deterministic jitter: the same lead under the same seed (a crusade version's hash) always gets
 * the same offset, so a dry-run is reproducible and the sender later sends at the times the
 * dry-run showed. FNV-1a over the text, then murmur3's finaliser so that ids differing only in
 * their last characters still spread evenly; no allocation per call.
 */
export function hash32(text: string, seed = 0x811c9dc5): number {
	let h = seed >>> 0;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return mix32(h);
}

/** murmur3 fmix32: every input bit affects every output bit. */
export function mix32(x: number): number {
	let h = x >>> 0;
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

/** A number in [0, 1) fixed by `seed` and `key`. */
export function unitHash(seed: string, key: string): number {
	return hash32(key, hash32(seed)) / 4_294_967_296;
}

/** A whole number of milliseconds in [0, maxMs), fixed by `seed` and `key`. */
export function jitterMs(seed: string, key: string, maxMs: number): number {
	return maxMs > 0 ? Math.floor(unitHash(seed, key) * maxMs) : 0;
}
