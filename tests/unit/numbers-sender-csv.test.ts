import { describe, expect, it } from 'vitest';
import { areaCodeState, npaOf } from '../../server/numbers/area-codes';
import { mapHeaders, parseSenderCsv, parseSenderRow } from '../../server/numbers/csv-import';
import { senderNumberSchema } from '../../server/numbers/sender-number';

const valid = { e164: '+14155550100', providerAccount: 'AC-main', brandId: 'B1A2B3C', campaignId: 'C9X8Y7Z', areaCode: '415', state: 'CA' };

describe('sender number schema', () => {
	it('accepts a complete number and fills status and cap defaults', () => {
		expect(senderNumberSchema.parse(valid)).toEqual({ ...valid, status: 'active', dailyCap: null });
	});

	it('refuses what is not a US E.164 number, or a bad status or cap', () => {
		for (const e164 of ['4155550100', '+44 20 7946 0000', '+11155550100', '+1415555010']) expect(senderNumberSchema.safeParse({ ...valid, e164 }).success, e164).toBe(false);
		expect(senderNumberSchema.safeParse({ ...valid, status: 'retired' }).success).toBe(false);
		expect(senderNumberSchema.safeParse({ ...valid, dailyCap: -1 }).success).toBe(false);
		expect(senderNumberSchema.safeParse({ ...valid, brandId: 'B 1' }).success).toBe(false);
	});

	it('checks the area code and state against the number', () => {
		const wrongNpa = senderNumberSchema.safeParse({ ...valid, areaCode: '212' });
		expect(wrongNpa.error?.issues.map((i) => i.message)).toContain('area code 212 does not match +14155550100');
		const wrongState = senderNumberSchema.safeParse({ ...valid, state: 'TX' });
		expect(wrongState.error?.issues.map((i) => i.message)).toEqual(['area code 415 is in CA, not TX']);
	});
});

describe('area codes', () => {
	it('knows states and territories, and not Canada or toll-free', () => {
		expect(areaCodeState('415')).toBe('CA');
		expect(areaCodeState('850')).toBe('FL');
		expect(areaCodeState('787')).toBe('PR');
		expect(areaCodeState('416')).toBeNull();
		expect(areaCodeState('800')).toBeNull();
		expect(areaCodeState(null)).toBeNull();
		expect(npaOf('+14155550100')).toBe('415');
		expect(npaOf('+442079460000')).toBeNull();
	});
});

describe('CSV rows', () => {
	it('derives the area code and state from the number, and reads loose formats', () => {
		const r = parseSenderRow({ e164: '(415) 555-0100', providerAccount: ' AC-main ', brandId: 'B1A2B3C', campaignId: 'C9X8Y7Z', status: 'Paused', dailyCap: '1,500' }, 2);
		expect(r).toEqual({ ok: true, number: { ...valid, status: 'paused', dailyCap: 1500 }, given: ['status', 'dailyCap'] });
	});

	it('says which optional fields the row gives: a missing column or a blank cell gives none', () => {
		const r = parseSenderRow({ e164: '+14155550100', providerAccount: 'AC1', brandId: 'B1A2B3C', campaignId: 'C9X8Y7Z', state: ' ', dailyCap: '' }, 2);
		expect(r).toMatchObject({ ok: true, number: { status: 'active', state: 'CA', dailyCap: null }, given: [] });
	});

	it('names every problem of a row with its row and field', () => {
		const r = parseSenderRow({ e164: '555-0100', providerAccount: '', brandId: 'B1A2B3C', campaignId: '', status: 'retired', dailyCap: 'lots' }, 7);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors.map((e) => [e.row, e.field])).toEqual([
			[7, 'e164'],
			[7, 'dailyCap'],
			[7, 'providerAccount'],
			[7, 'campaignId'],
			[7, 'status']
		]);
		expect(r.errors.find((e) => e.field === 'e164')?.message).toBe('"555-0100" is not a US phone number');
		expect(r.errors.find((e) => e.field === 'status')?.message).toBe('status must be one of active, paused, blocked (got "retired")');
		expect(r.errors.find((e) => e.field === 'dailyCap')?.message).toBe('daily cap "lots" is not a whole number');
	});
});

describe('CSV files', () => {
	const header = 'Phone Number,Account SID,10DLC Brand ID,10DLC Campaign ID,State,Status,Daily Cap';

	it('matches headers loosely', () => {
		expect(mapHeaders(header.split(','))).toEqual({ e164: 0, providerAccount: 1, brandId: 2, campaignId: 3, state: 4, status: 5, dailyCap: 6 });
	});

	it('imports the good rows and reports the bad ones by spreadsheet row', () => {
		const csv = [
			'\uFEFF' + header,
			'+14155550100,AC1,B1A2B3C,C9X8Y7Z,CA,active,500',
			'',
			'2125550101,AC1,B1A2B3C,C9X8Y7Z,,paused,',
			'12125550102,AC2,B1A2B3C,C9X8Y7Z,TX,active,',
			'+1 415 555 0100,AC2,B1A2B3C,C9X8Y7Z,CA,,',
			'"(305) 555-0103",AC2,B1A2B3C,"C9X8Y7Z",FL,blocked,"2,000"'
		].join('\r\n');
		const result = parseSenderCsv(csv);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.numbers.map((n) => [n.row, n.number.e164, n.number.state, n.number.status, n.number.dailyCap])).toEqual([
			[2, '+14155550100', 'CA', 'active', 500],
			[4, '+12125550101', 'NY', 'paused', null],
			[7, '+13055550103', 'FL', 'blocked', 2000]
		]);
		expect(result.errors).toEqual([
			{ row: 5, field: 'state', message: 'area code 212 is in NY, not TX' },
			{ row: 6, field: 'e164', message: '+14155550100 is already on row 2' }
		]);
	});

	it('refuses a file without the required columns, or empty, at once', () => {
		const missing = parseSenderCsv('phone,state\n+14155550100,CA\n');
		expect(missing).toEqual({ ok: false, message: expect.stringContaining('no column for provider account, 10DLC brand id, 10DLC campaign id') });
		expect(parseSenderCsv('')).toMatchObject({ ok: false, message: expect.stringContaining('empty') });
	});
});
