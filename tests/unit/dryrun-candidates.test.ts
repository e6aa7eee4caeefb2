import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Candidates } from '../../server/dryrun/candidates';
import { uuidKey } from '../../server/dryrun/table-keys';

describe('Candidates (the leads waiting for the allocator)', () => {
	it('keeps every message, phone and id intact while its columns and byte arena grow', () => {
		// Sized for 1,024, given 5,000 with long and non-ASCII messages: both the columns and the arena grow.
		const candidates = new Candidates(10);
		const added = Array.from({ length: 5_000 }, (_, i) => ({
			id: randomUUID(),
			digits: i % 97 === 0 ? -1 : 12_125_550_000 + i,
			phoneText: i % 97 === 0 ? `+1 (212) ${i}` : '',
			variant: `Hola ${'é'.repeat(i % 7)} ${'x'.repeat(i % 300)} ¿sigue a la venta? ${i} 🏠`,
			segments: String(1 + (i % 3))
		}));
		for (const c of added) candidates.add(c.id, uuidKey(c.id), c.digits, c.phoneText, 0.5, 0, 0, 0, 0, NaN, 0, c.variant, c.segments);
		expect(candidates.length).toBe(added.length);
		for (const [i, c] of added.entries()) {
			expect(candidates.id(i)).toBe(c.id);
			expect(candidates.variant(i)).toBe(c.variant);
			expect(candidates.phoneDigits[i]).toBe(c.digits);
			expect(candidates.segments[i]).toBe(c.segments);
			if (c.digits < 0) expect(candidates.oddPhones.get(i)).toBe(c.phoneText);
		}
		const columns = candidates.columns([], []);
		expect(columns.length).toBe(added.length);
		expect(columns.phoneCount).toBe(added.length);
		expect(new Set(columns.phone.subarray(0, added.length)).size).toBe(added.length);
	});
});
