/** One field of COPY's text format: \N for null, backslash escapes for the characters that delimit. */
export function copyField(value: string | number | null | undefined): string {
	if (value === null || value === undefined) return '\\N';
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '\\N';
	return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : value;
}

/** A text[] literal of plain identifiers (the reason codes): no quoting needed. */
export function copyArray(values: readonly string[]): string {
	return `{${values.join(',')}}`;
}
