import { describe, expect, it } from 'vitest';
import { buildPool, pickSender, type RoutableLead } from '../../server/numbers/routing';
import type { SenderNumber, SenderStatus } from '../../server/numbers/sender-number';

function number(id: string, e164: string, state: string, over: { status?: SenderStatus; dailyCap?: number | null } = {}): SenderNumber {
	return { id, e164, providerAccount: 'AC1', brandId: 'B1', campaignId: 'C1', areaCode: e164.slice(2, 5), state, status: over.status ?? 'active', dailyCap: over.dailyCap ?? 1000 };
}

const sf1 = number('sf1', '+14155550100', 'CA');
const sf2 = number('sf2', '+14155550101', 'CA');
const la = number('la', '+12135550100', 'CA');
const nyc = number('nyc', '+12125550100', 'NY');
const miami = number('miami', '+13055550100', 'FL');
const none = new Map<string, string>();
const lead = (leadId: string, areaCode: string | null, state: string | null): RoutableLead => ({ leadId, areaCode, state });

describe('area-code routing', () => {
	const pool = buildPool([sf1, la, nyc]);

	it('prefers a number with the lead’s area code', () => {
		expect(pickSender(lead('a', '415', 'CA'), pool, none)).toEqual({ number: sf1, via: 'area_code' });
		expect(pickSender(lead('b', '212', 'NJ'), pool, none)).toEqual({ number: nyc, via: 'area_code' });
	});

	it('then a number in the lead’s state', () => {
		expect(pickSender(lead('c', '619', 'CA'), pool, none)).toEqual({ number: expect.objectContaining({ state: 'CA' }), via: 'state' });
	});

	it('takes the state from the area code when the lead has no address', () => {
		expect(pickSender(lead('d', '619', null), pool, none)?.via).toBe('state');
	});

	it('then any active number with budget left', () => {
		expect(pickSender(lead('e', '503', 'OR'), pool, none)?.via).toBe('any');
		expect(pickSender(lead('e', null, null), pool, none)?.via).toBe('any');
	});

	it('returns null when no number can send', () => {
		expect(pickSender(lead('f', '415', 'CA'), buildPool([]), none)).toBeNull();
		expect(pickSender(lead('f', '415', 'CA'), buildPool([number('p', '+14155550199', 'CA', { status: 'paused' })]), none)).toBeNull();
	});
});

describe('usable numbers', () => {
	it('skips paused and blocked numbers, and numbers with no budget left, for new leads', () => {
		const pool = buildPool(
			[number('p', '+14155550190', 'CA', { status: 'paused' }), number('x', '+14155550191', 'CA', { status: 'blocked' }), sf1, miami],
			new Map([['sf1', 0]])
		);
		expect(pickSender(lead('g', '415', 'CA'), pool, none)).toEqual({ number: miami, via: 'any' });
	});

	it('weights the choice by budget left', () => {
		const pool = buildPool([sf1, sf2], new Map([['sf1', 3000], ['sf2', 1000]]));
		let toSf1 = 0;
		for (let i = 0; i < 20_000; i++) if (pickSender(lead(`lead-${i}`, '415', 'CA'), pool, none)!.number.id === 'sf1') toSf1++;
		expect(toSf1 / 20_000).toBeGreaterThan(0.72);
		expect(toSf1 / 20_000).toBeLessThan(0.78);
	});
});

describe('sticky sender', () => {
	it('keeps the number a lead already got while it is usable, even off its area code', () => {
		const pool = buildPool([sf1, nyc]);
		expect(pickSender(lead('h', '415', 'CA'), pool, new Map([['h', 'nyc']]))).toEqual({ number: nyc, via: 'sticky' });
	});

	it('keeps it on a day its budget is spent, so the lead waits rather than meets a stranger', () => {
		const pool = buildPool([sf1, sf2], new Map([['sf1', 0]]));
		expect(pickSender(lead('i', '415', 'CA'), pool, new Map([['i', 'sf1']]))).toEqual({ number: sf1, via: 'sticky' });
	});

	it('re-routes when the sticky number is paused, blocked or gone from the pool', () => {
		for (const status of ['paused', 'blocked'] as const) {
			const pool = buildPool([{ ...sf1, status }, sf2]);
			expect(pickSender(lead('j', '415', 'CA'), pool, new Map([['j', 'sf1']]))).toEqual({ number: sf2, via: 'area_code' });
		}
		expect(pickSender(lead('j', '415', 'CA'), buildPool([sf2]), new Map([['j', 'gone']]))).toEqual({ number: sf2, via: 'area_code' });
	});
});

describe('determinism', () => {
	it('routes the same lead the same way every time, whatever order the pool is in', () => {
		const a = buildPool([sf1, sf2, la]);
		const b = buildPool([la, sf2, sf1]);
		for (let i = 0; i < 200; i++) {
			const l = lead(`lead-${i}`, '415', 'CA');
			expect(pickSender(l, a, none)?.number.id).toBe(pickSender(l, b, none)?.number.id);
		}
	});

	it('moves only the leads a new number wins when it joins the pool', () => {
		const before = buildPool([sf1, sf2]);
		const sf3 = number('sf3', '+14155550102', 'CA');
		const after = buildPool([sf1, sf2, sf3]);
		let moved = 0;
		for (let i = 0; i < 3000; i++) {
			const l = lead(`lead-${i}`, '415', 'CA');
			const was = pickSender(l, before, none)!.number.id;
			const now = pickSender(l, after, none)!.number.id;
			if (was !== now) {
				moved++;
				expect(now).toBe('sf3');
			}
		}
		expect(moved / 3000).toBeGreaterThan(0.28);
		expect(moved / 3000).toBeLessThan(0.39);
	});
});
