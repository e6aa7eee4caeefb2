import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BestPhones, e164Digits, PhoneFlag, phoneFlags } from '../../server/dryrun/best-phones';

const MOBILE = phoneFlags('+12125550100', 'mobile', false);
const VOIP = phoneFlags('+12125550100', 'voip', false);
const UNKNOWN = phoneFlags('+12125550100', 'unknown', false);
const LANDLINE = phoneFlags('+12125550100', 'landline', false);

/** The reference order, written the way the old SQL's ORDER BY spelled it. */
function rank(p: { flags: number; created: number; e164: string }): [number, number, number, string] {
	return [(p.flags & 7) !== 0 ? 1 : 0, p.flags >> 3, p.created, p.e164];
}
function compare(a: ReturnType<typeof rank>, b: ReturnType<typeof rank>): number {
	for (let i = 0; i < a.length; i++) {
		if (a[i]! < b[i]!) return -1;
		if (a[i]! > b[i]!) return 1;
	}
	return 0;
}

describe('BestPhones', () => {
	it('prefers a textable phone, then mobile, VoIP, unknown, landline, then the oldest, then by number', () => {
		const lead = randomUUID();
		const best = new BestPhones(4);
		best.offer(lead, '+12125550104', '212', LANDLINE, 1, NaN);
		best.offer(lead, '+12125550103', '212', UNKNOWN, 5, NaN);
		best.offer(lead, '+12125550102', '212', MOBILE | PhoneFlag.Dnc, 0, NaN);
		best.offer(lead, '+12125550101', '212', VOIP, 9, NaN);
		expect(best.e164Of(best.find(lead))).toBe('+12125550101');
		best.offer(lead, '+13125550100', '312', MOBILE, 9, 123);
		const entry = best.find(lead);
		expect([best.e164Of(entry), best.areaCodeOf(entry), best.lastSentOf(entry), best.digitsOf(entry)]).toEqual(['+13125550100', '312', 123, 13125550100]);
		best.offer(lead, '+12125550100', '212', MOBILE, 9, NaN);
		expect(best.e164Of(best.find(lead))).toBe('+12125550100');
		best.offer(lead, '+19175550100', '917', MOBILE, 8, NaN);
		expect(best.e164Of(best.find(lead))).toBe('+19175550100');
	});

	it('flags a listed, an invalid and a landline number, and ranks the types', () => {
		expect(phoneFlags('+12125550100', 'mobile', true)).toBe(MOBILE | PhoneFlag.Dnc);
		expect(phoneFlags('+12120550100', 'mobile', false)).toBe(MOBILE | PhoneFlag.Invalid);
		expect(phoneFlags('+442071234567', 'voip', false)).toBe(VOIP | PhoneFlag.Invalid);
		expect(LANDLINE & PhoneFlag.Landline).toBe(PhoneFlag.Landline);
		expect([MOBILE, VOIP, UNKNOWN, LANDLINE & ~PhoneFlag.Landline]).toEqual([0, 8, 16, 24]);
	});

	it('keeps a listed or invalid phone only when nothing better exists, with its flags', () => {
		const lead = randomUUID();
		const best = new BestPhones();
		best.offer(lead, '+12125550102', '212', MOBILE | PhoneFlag.Dnc, 0, NaN);
		best.offer(lead, '+1212555', '212', MOBILE | PhoneFlag.Invalid, 1, NaN);
		const entry = best.find(lead);
		expect(best.e164Of(entry)).toBe('+12125550102');
		expect(best.flagsOf(entry) & PhoneFlag.Dnc).toBe(PhoneFlag.Dnc);
	});

	it('answers -1 for a lead without phones, and for ids that share the first 13 hex digits', () => {
		const best = new BestPhones();
		const a = '0123456789ab-c000-8000-000000000001'.replace(/^(.{8})(.{4})-/, '$1-$2-');
		const b = a.replace(/1$/, '2');
		best.offer(a, '+12125550100', '212', MOBILE, 0, NaN);
		expect(best.find(a)).toBeGreaterThanOrEqual(0);
		expect(best.find(b)).toBe(-1);
		best.offer(b, '+12125550199', '212', MOBILE, 0, NaN);
		expect(best.e164Of(best.find(a))).toBe('+12125550100');
		expect(best.e164Of(best.find(b))).toBe('+12125550199');
		expect(best.find(randomUUID())).toBe(-1);
	});

	it('matches a sort of every phone, over many leads, growing past its first size', () => {
		const best = new BestPhones(16);
		const phones = new Map<string, { e164: string; flags: number; created: number }[]>();
		const types = [MOBILE, VOIP, UNKNOWN, LANDLINE, MOBILE | PhoneFlag.Dnc, VOIP | PhoneFlag.Invalid];
		let n = 0;
		for (let i = 0; i < 5_000; i++) {
			const lead = randomUUID();
			const list = Array.from({ length: 1 + (i % 4) }, () => ({ e164: `+1212${String(5_000_000 + n++)}`, flags: types[n % types.length]!, created: n % 3 }));
			phones.set(lead, list);
		}
		// Rows arrive in no order: interleave every lead's phones.
		const rows = [...phones].flatMap(([lead, list]) => list.map((p) => ({ lead, ...p })));
		rows.sort((x, y) => (x.e164.charCodeAt(8) % 7) - (y.e164.charCodeAt(8) % 7) || x.e164.localeCompare(y.e164) * -1);
		for (const r of rows) best.offer(r.lead, r.e164, '212', r.flags, r.created, NaN);
		expect(best.size).toBe(5_000);
		for (const [lead, list] of phones) {
			const expected = [...list].sort((x, y) => compare(rank(x), rank(y)))[0]!;
			expect(best.e164Of(best.find(lead)), lead).toBe(expected.e164);
		}
	});

	it('keeps plain numbers as digits and anything else as its text, ordered as text either way', () => {
		expect(e164Digits('+12125550100')).toBe(12125550100);
		expect(e164Digits('+442071234567')).toBe(442071234567);
		for (const odd of ['', '+', '12125550100', '+0212555', '+1212 555', '+1212555010a', '+1234567890123456', '\\N']) expect(e164Digits(odd), odd).toBe(-1);
		const lead = randomUUID();
		const best = new BestPhones();
		// Same flags, type and age: the number decides, as text ("+2…" after "+1…" however long).
		best.offer(lead, '+212555', 'x', MOBILE, 1, NaN);
		best.offer(lead, '+12125550100', '212', MOBILE, 1, NaN);
		expect(best.e164Of(best.find(lead))).toBe('+12125550100');
		best.offer(lead, '+1212555 0100', '212', MOBILE, 1, NaN);
		const entry = best.find(lead);
		expect([best.e164Of(entry), best.digitsOf(entry)]).toEqual(['+1212555 0100', -1]);
		// A plain number that sorts first replaces the odd one.
		best.offer(lead, '+1212', '212', MOBILE, 1, NaN);
		expect([best.e164Of(best.find(lead)), best.digitsOf(best.find(lead))]).toEqual(['+1212', 1212]);
		expect(best.areaCodeOf(best.find(lead))).toBe('212');
	});
});
