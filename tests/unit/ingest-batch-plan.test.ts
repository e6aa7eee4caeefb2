import { describe, expect, it } from 'vitest';
import { BatchPlanner, STAGED_LEAD_COLUMNS, STAGED_PHONE_COLUMNS } from '../../server/leads/ingest/batch-plan';
import { contactParser } from '../../server/leads/ingest/parsers/contact';
import { CONTACT_HEADERS } from '../fixtures/generate-leads';

const owner = { importId: '00000000-0000-0000-0000-0000000000aa', workspaceId: '00000000-0000-0000-0000-0000000000bb' };
const end = { endOffset: 100, endRow: 4, offsetExact: true };

/** A contact row: First, Last, Mobile 1, Mobile 2, Landline 1, Email 1, Email 2, Address, City, State, Zip, Source. */
function contact(first: string, last: string, mobile: string, mobile2 = '', street = '1 Oak St'): string[] {
	return [first, last, mobile, mobile2, '', '', '', street, 'Austin', 'TX', '78701', 'web form'];
}

function staged(text: string, columns: string): Record<string, string>[] {
	const names = columns.split(', ');
	return text
		.split('\n')
		.filter(Boolean)
		.map((line) => Object.fromEntries(line.split('\t').map((v, i) => [names[i] ?? `c${i}`, v])));
}

describe('batch planner', () => {
	it('groups drafts across the pieces of one batch (A~C by phone in the first and second piece, B~C by name + address)', () => {
		const planner = new BatchPlanner(contactParser.bind(CONTACT_HEADERS), CONTACT_HEADERS.length, owner);
		planner.add(
			[
				{ rowNumber: 1, fields: contact('Ana', 'Lee', '(512) 555-0100') },
				{ rowNumber: 2, fields: contact('Bo', 'Diaz', '(512) 555-0200', '', '9 Elm Dr') }
			],
			[11, 12]
		);
		planner.add(
			[
				{ rowNumber: 3, fields: contact('Bo', 'Diaz', '(512) 555-0100', '(512) 555-0300', '9 Elm Dr') },
				{ rowNumber: 4, fields: ['only', 'two'] }
			],
			[13, 14]
		);
		expect(planner.size).toBe(4);
		const plan = planner.finish(end);
		expect(plan).toMatchObject({ rows: 4, rejected: 1, endOffset: 100, endRow: 4, offsetExact: true });

		const leads = staged(plan.copy.leads, STAGED_LEAD_COLUMNS);
		expect(leads.map((l) => l.row_number)).toEqual(['1', '2', '3']);
		// Rows 1 and 3 share a phone, rows 2 and 3 a name and address: one group, one lead id, row 1 first.
		expect(new Set(leads.map((l) => l.grp))).toEqual(new Set(['0']));
		expect(new Set(leads.map((l) => l.lead_id)).size).toBe(1);
		expect(leads.map((l) => l.first_in_group)).toEqual(['true', 'false', 'false']);
		expect(leads.map((l) => l.source_row_id)).toEqual(['11', '12', '13']);

		const phones = staged(plan.copy.phones, STAGED_PHONE_COLUMNS);
		expect(phones.map((p) => [p.row_number, p.e164, p.grp])).toEqual([
			['1', '+15125550100', '0'],
			['2', '+15125550200', '0'],
			['3', '+15125550100', '0'],
			['3', '+15125550300', '0']
		]);

		// Every row is kept, the ragged one with its reason.
		const rows = plan.copy.rows.split('\n').filter(Boolean);
		expect(rows).toHaveLength(4);
		expect(rows[3]).toMatch(/^14\t.*\tragged row: 2 fields where the header has 12$/);
	});

	it('starts empty again after finish: separate batches do not share groups', () => {
		const planner = new BatchPlanner(contactParser.bind(CONTACT_HEADERS), CONTACT_HEADERS.length, owner);
		planner.add([{ rowNumber: 1, fields: contact('Ana', 'Lee', '(512) 555-0100') }], [1]);
		const first = staged(planner.finish(end).copy.leads, STAGED_LEAD_COLUMNS);
		planner.add([{ rowNumber: 2, fields: contact('Ana', 'Lee', '(512) 555-0100') }], [2]);
		const second = planner.finish(end);
		expect(second.rows).toBe(1);
		const again = staged(second.copy.leads, STAGED_LEAD_COLUMNS);
		// The second batch makes its own draft (matching the first lead is the SQL half's job).
		expect(again[0]?.first_in_group).toBe('true');
		expect(again[0]?.lead_id).not.toBe(first[0]?.lead_id);
	});
});
