import { describe, expect, it } from 'vitest';
import { FEDERAL_RULE, minimumGapMs, ruleTable, rulesFor, STATE_RULE_DEFAULTS, stateRuleEditSchema } from '../../server/crusades/quiet-hours';
import { STATE_ZONES } from '../../server/crusades/zone-data';

describe('the quiet-hours table', () => {
	it('has the federal 8:00–21:00 floor every day', () => {
		expect(FEDERAL_RULE.hours).toEqual(Array(7).fill({ start: 480, end: 1260 }));
		expect(FEDERAL_RULE.verifyWithCounsel).toBe(false);
	});

	it('marks every state default "verify with counsel" and says what it rests on', () => {
		for (const [code, rule] of Object.entries(STATE_RULE_DEFAULTS)) {
			expect(rule.id).toBe(code);
			expect(rule.verifyWithCounsel, code).toBe(true);
			expect(rule.source, code).toMatch(/^Default to verify with counsel\. .+/);
			expect(STATE_ZONES[code], code).toBeTruthy();
		}
	});

	it('writes the stricter hours it knows as defaults (FL and OK 8–20 with 3 per 24 h)', () => {
		for (const code of ['FL', 'OK', 'MD']) {
			expect(STATE_RULE_DEFAULTS[code]!.hours).toEqual(Array(7).fill({ start: 480, end: 1200 }));
			expect(STATE_RULE_DEFAULTS[code]!.maxPerPhonePer24h).toBe(3);
		}
		expect(STATE_RULE_DEFAULTS.TX!.hours[0]).toEqual({ start: 720, end: 1260 });
		expect(STATE_RULE_DEFAULTS.AL!.hours[0]).toBeNull();
		expect(STATE_RULE_DEFAULTS.AL!.closedOnHolidays).toBe(true);
	});

	it('binds the federal rule and each state’s once', () => {
		expect(rulesFor([]).map((r) => r.id)).toEqual(['US']);
		expect(rulesFor(['FL', 'NY', 'FL', 'TX']).map((r) => r.id)).toEqual(['US', 'FL', 'TX']);
	});
});

describe('team edits of state rules', () => {
	it('replaces a default and keeps the counsel flag', () => {
		const edit = stateRuleEditSchema.parse({ state: 'NY', hours: { all: '09:00-20:00', sun: null }, note: 'per counsel memo 2026-02' });
		const table = ruleTable([edit]);
		expect(table.NY!.hours[0]).toBeNull();
		expect(table.NY!.hours[1]).toEqual({ start: 540, end: 1200 });
		expect(table.NY!.verifyWithCounsel).toBe(true);
		expect(table.NY!.source).toContain('per counsel memo');
		expect(table.FL).toBe(STATE_RULE_DEFAULTS.FL);
		expect(rulesFor(['NY'], table).map((r) => r.id)).toEqual(['US', 'NY']);
	});

	it('refuses malformed hours', () => {
		expect(stateRuleEditSchema.safeParse({ state: 'NY', hours: { all: '20:00-09:00' } }).success).toBe(false);
		expect(stateRuleEditSchema.safeParse({ state: 'NY', hours: { all: '9-5' } }).success).toBe(false);
		expect(stateRuleEditSchema.safeParse({ state: 'New York', hours: { all: null } }).success).toBe(false);
	});
});

describe('24-hour message limits', () => {
	it('turn into a minimum gap between messages to one phone', () => {
		expect(minimumGapMs(rulesFor([]))).toBe(0);
		// 3 per 24 h: just over 8 hours apart, so no rolling 24 h holds a fourth.
		expect(minimumGapMs(rulesFor(['FL']))).toBe(8 * 3_600_000 + 60_000);
	});
});
