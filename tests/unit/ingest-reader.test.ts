import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRowBatches, type SourceRow } from '../../server/leads/ingest/csv-reader';
import { bomOf, type FileEncoding } from '../../server/leads/ingest/encoding';
import { CellError, nameAddressKey, normalizeName, normalizePhone, normalizeState, normalizeStreet, normalizeZip } from '../../server/leads/ingest/normalize';
import { CONTACT_HEADERS, contactRows, csvText, encode } from '../fixtures/generate-leads';

const dir = mkdtempSync(join(tmpdir(), 'muster-reader-'));

async function readAll(path: string, encoding: FileEncoding, from = { offset: 0, row: 0 }, chunkBytes = 1024) {
	const bomLength = bomOf(readFileSync(path).subarray(0, 4))?.bomLength ?? 0;
	const batches = [];
	for await (const b of readRowBatches(path, { encoding, delimiter: ',', bomLength, startOffset: from.offset, rowBase: from.row, skipThrough: from.row, batchRows: 7, chunkBytes })) batches.push(b);
	return batches;
}

describe('streaming reader', () => {
	it.each([
		['utf-8', 'utf-8'],
		['utf-8-bom', 'utf-8'],
		['utf-16le', 'utf-16le'],
		['latin1', 'windows-1252']
	] as const)('%s: resuming at any batch offset reads exactly the rows after it', async (enc, encoding) => {
		const rows = [...contactRows(60, 8)].map((r, i) => (i % 5 === 0 ? ['Zoë "Z", Jr', 'Núñez\nSecond line', ...r.slice(2)] : r));
		const path = join(dir, `${enc}.csv`);
		writeFileSync(path, encode(csvText(CONTACT_HEADERS, rows), enc));
		const all = await readAll(path, encoding);
		const flat = all.flatMap((b) => b.rows);
		expect(flat.map((r) => r.rowNumber)).toEqual(rows.map((_, i) => i + 1));
		expect(flat.map((r) => r.fields)).toEqual(rows);
		for (const batch of all.slice(0, -1)) {
			const rest: SourceRow[] = (await readAll(path, encoding, { offset: batch.endOffset, row: batch.endRow })).flatMap((b) => b.rows);
			expect(rest).toEqual(flat.filter((r) => r.rowNumber > batch.endRow));
		}
	});

	it('an unclosed quote rejects its line only, even when it would swallow the rest of a large file', async () => {
		const good = csvText(CONTACT_HEADERS, contactRows(200, 3)).split('\r\n');
		const text = [...good.slice(0, 3), '"broken,row,(512) 555-0100', ...good.slice(3)].join('\r\n');
		const path = join(dir, 'quote.csv');
		writeFileSync(path, text);
		const batches = [];
		for await (const b of readRowBatches(path, { encoding: 'utf-8', delimiter: ',', bomLength: 0, startOffset: 0, rowBase: 0, skipThrough: 0, batchRows: 50, chunkBytes: 512, maxRowChars: 2_000 })) batches.push(b);
		const rows = batches.flatMap((b) => b.rows);
		expect(rows).toHaveLength(201);
		expect(rows[2]).toMatchObject({ rowNumber: 3, problem: expect.stringMatching(/unbalanced quotes/) });
		expect(rows.filter((r) => r.problem)).toHaveLength(1);
	});
});

describe('normalisers', () => {
	it('phones to E.164 with NANP area codes; junk refused', () => {
		expect(normalizePhone('(512) 555-0100')).toEqual({ e164: '+15125550100', type: 'unknown', areaCode: '512' });
		expect(normalizePhone('1-512-555-0100', 'mobile')).toMatchObject({ e164: '+15125550100', type: 'mobile' });
		expect(normalizePhone('+44 20 7183 8750')).toMatchObject({ e164: '+442071838750', type: 'landline', areaCode: null });
		expect(() => normalizePhone('12345')).toThrow(CellError);
		expect(() => normalizePhone('(123) 555-0100')).toThrow(/not a valid phone number/);
	});

	it('names, streets, states, zips and the dedupe key', () => {
		expect(normalizeName('  JOHN   mcdonald ')).toBe('John McDonald');
		expect(normalizeName("o'NEIL-smith")).toBe("O'Neil-Smith");
		expect(normalizeName('McKenzie')).toBe('McKenzie');
		expect(normalizeStreet('12  NORTH Oak   STREET')).toBe('12 N Oak St');
		expect(normalizeState('texas')).toBe('TX');
		expect(() => normalizeState('Texass')).toThrow(/not a US state/);
		expect(normalizeZip('2134')).toBe('02134');
		expect(normalizeZip('78701-1234')).toBe('78701');
		expect(nameAddressKey('Ana Lee', '1 Oak St.', '78701', null)).toBe('ana lee|1 oak st|78701');
		expect(nameAddressKey('Ana Lee', null, '78701', null)).toBeNull();
	});
});
