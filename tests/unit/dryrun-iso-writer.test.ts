import { describe, expect, it } from 'vitest';
import { IsoWriter } from '../../server/dryrun/results-writer';

describe('IsoWriter (slot times as COPY text)', () => {
	it('writes what toISOString does, for instants hopping between days in any order', () => {
		const writer = new IsoWriter();
		const buf = Buffer.alloc(64);
		// Allocation order: slots hop back and forth over a fortnight, across midnight and a month end.
		const start = Date.UTC(2026, 10, 25, 23, 59, 59, 999);
		let seed = 11;
		for (let i = 0; i < 5000; i++) {
			seed = (seed * 1103515245 + 12345) % 2147483648;
			const ms = start + (seed % (14 * 86_400_000)) - 7 * 86_400_000 + (i % 3 === 0 ? 0.75 : 0);
			const end = writer.write(ms, buf, 3);
			expect(end).toBe(27);
			expect(buf.toString('latin1', 3, end)).toBe(new Date(Math.trunc(ms)).toISOString());
		}
		expect(writer.write(Date.UTC(2026, 11, 31, 23, 59, 59, 999), buf, 0)).toBe(24);
		expect(buf.toString('latin1', 0, 24)).toBe('2026-12-31T23:59:59.999Z');
	});
});
