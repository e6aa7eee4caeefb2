/** Encoders for PostgreSQL's COPY text format (tab-separated, `\N` for NULL). */

const SPECIAL = /[\\\n\r\t]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function copyValue(v: string | number | boolean | null | undefined): string {
	if (v === null || v === undefined) return '\\N';
	if (typeof v !== 'string') return String(v);
	return SPECIAL.test(v) ? v.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c] ?? c) : v;
}

const ARRAY_SPECIAL = /["\\]/;

/** A text[] literal, e.g. {"a","b \"c\""}, ready for `copyValue`. */
export function arrayLiteral(values: string[]): string {
	let out = '{';
	for (let i = 0; i < values.length; i++) {
		const v = values[i] ?? '';
		out += (i ? ',"' : '"') + (ARRAY_SPECIAL.test(v) ? v.replace(/["\\]/g, '\\$&') : v) + '"';
	}
	return out + '}';
}

/**
 * One COPY line from values already in column order. Joined, not concatenated: `+=` leaves
 * each line a rope of ~40 string pieces that lives until the batch's payload is joined,
 * so the pieces are promoted to the old generation and peak RSS grows with them.
 */
export function copyLine(values: (string | number | boolean | null | undefined)[]): string {
	const out = new Array<string>(values.length);
	for (let i = 0; i < values.length; i++) out[i] = copyValue(values[i]);
	return out.join('\t') + '\n';
}
