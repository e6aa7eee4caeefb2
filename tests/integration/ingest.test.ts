import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { leadFacts, leadImports, leadPhones, leads, leadSources, sourceRows, workspaces } from '../../db/schema/index';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { database } from '../../server/db';
import { FileTooLargeError, UnreadableFileError } from '../../server/errors';
import { inspectImport, streamRejects } from '../../server/leads/imports';
import {
	badInputs,
	CONTACT_HEADERS,
	contactRows,
	csvText,
	encode,
	GENERIC_HEADERS,
	genericRows,
	PROPERTY_HEADERS,
	propertyRows,
	sparseFile
} from '../fixtures/generate-leads';
import { seedUser } from '../support/identity';
import { importBytes, uploadFile, workspaceCounts } from '../support/imports';

process.env.UPLOAD_DIR = mkdtempSync(join(tmpdir(), 'muster-ingest-'));

let owner: Awaited<ReturnType<typeof seedUser>>;
const db = () => database().db;

beforeAll(async () => {
	await bootstrap(config());
	owner = await seedUser('ingest');
});

async function freshWorkspace(label: string): Promise<string> {
	const user = await seedUser(label);
	return user.workspace?.id ?? '';
}

async function inspectBytes(bytes: Buffer, options: Parameters<typeof inspectImport>[3] = {}) {
	const ws = owner.workspace?.id ?? '';
	const id = await uploadFile(ws, owner.user.id, bytes);
	return inspectImport(db(), ws, id, options);
}

async function refusedWith(promise: Promise<unknown>): Promise<UnreadableFileError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(UnreadableFileError);
	return error as UnreadableFileError;
}

const balanced = (r: { rowsRead: number; leadsCreated: number; leadsMerged: number; rowsRejected: number }) =>
	expect(r.rowsRead).toBe(r.leadsCreated + r.leadsMerged + r.rowsRejected);

describe('inspection', () => {
	it('recognises each kind of file by its headers and suggests the right parser', async () => {
		const property = await inspectBytes(Buffer.from(csvText(PROPERTY_HEADERS, propertyRows(30))));
		expect(property).toMatchObject({ suggestedParser: 'property', delimiter: ',', encoding: 'utf-8', headers: PROPERTY_HEADERS });
		expect(property.preview).toHaveLength(20);
		expect(property.parsers.map((p) => p.id)).toEqual(['property', 'contact', 'generic']);
		const contact = await inspectBytes(Buffer.from(csvText(CONTACT_HEADERS, contactRows(30))));
		expect(contact.suggestedParser).toBe('contact');
		const generic = await inspectBytes(Buffer.from(csvText(GENERIC_HEADERS, genericRows(30), { delimiter: ';' })));
		expect(generic).toMatchObject({ suggestedParser: 'generic', delimiter: ';' });
		expect(generic.suggestedMapping).toMatchObject({ Customer: 'fullName', Tel: 'phone', 'Street Line': 'street', Town: 'city', Postcode: 'zip', Notes: 'attribute' });
		const tabbed = await inspectBytes(Buffer.from(csvText(CONTACT_HEADERS, contactRows(5), { delimiter: '\t' })));
		expect(tabbed.delimiter).toBe('\t');
	});

	it.each([
		['utf-8-bom', 'utf-8', 'bom'],
		['utf-16le', 'utf-16le', 'bom'],
		['latin1', 'windows-1252', 'detected']
	] as const)('reads %s files', async (enc, expected, how) => {
		const rows = [...contactRows(40, 4)].map((r, i) => (i === 0 ? ['Zoë', 'Núñez', ...r.slice(2)] : r));
		const info = await inspectBytes(encode(csvText(CONTACT_HEADERS, rows), enc));
		expect(info).toMatchObject({ encoding: expected, encodingHow: how, headers: CONTACT_HEADERS });
		expect(info.preview[0]?.slice(0, 2)).toEqual(['Zoë', 'Núñez']);
	});

	it.each([
		['empty.csv', 'empty', /file is empty/],
		['header-only.csv', 'header_only', /header row but no data rows/],
		['binary-junk.csv', 'binary', /not a text file/],
		['xlsx-renamed.csv', 'binary', /Excel workbook/],
		['unbalanced-header.csv', 'unbalanced_quotes', /header row has unbalanced quotes/],
		['duplicate-headers.csv', 'duplicate_headers', /names "Phone" twice \(columns 3 and 5\)/],
		['no-header.csv', 'no_header', /first row looks like data/]
	])('%s is refused with a specific message', async (name, reason, message) => {
		const error = await refusedWith(inspectBytes(badInputs()[name] ?? Buffer.alloc(0)));
		expect(error.reason).toBe(reason);
		expect(error.message).toMatch(message);
	});

	it('a wrong encoding choice is refused and the right one named', async () => {
		const error = await refusedWith(inspectBytes(badInputs()['wrong-encoding.csv'] ?? Buffer.alloc(0), { encoding: 'utf-8' }));
		expect(error.reason).toBe('wrong_encoding');
		expect(error.message).toMatch(/not UTF-8: byte 0x[0-9A-F]{2} at offset \d+ .* Windows-1252/);
	});

	it('refuses a file over the size limit without reading it (a sparse 2 GB file)', async () => {
		const ws = owner.workspace?.id ?? '';
		const id = await uploadFile(ws, owner.user.id, Buffer.from('x'));
		const [row] = await db().execute<{ upload_id: string }>(sql`SELECT upload_id FROM lead_imports WHERE id = ${id}`).then((r) => r.rows);
		const size = config().UPLOAD_MAX_BYTES + 1;
		await sparseFile(join(config().UPLOAD_DIR, row?.upload_id ?? ''), size);
		await db().execute(sql`UPDATE lead_imports SET file_size = ${size} WHERE id = ${id}`);
		const error = await inspectImport(db(), ws, id).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(FileTooLargeError);
		expect((error as Error).message).toMatch(/imports take files up to 2\.00 GB/);
	});
});

describe('parsers', () => {
	it('property-centric: owners become leads with E.164 phones, typed columns, attributes and a mailing address', async () => {
		const ws = await freshWorkspace('property');
		const rows = [...propertyRows(300, 11)];
		const done = await importBytes(ws, owner.user.id, Buffer.from(csvText(PROPERTY_HEADERS, rows)), { parser: 'property', batchRows: 64 });
		expect(done).toMatchObject({ status: 'completed', rowsRead: 300, rowsRejected: 0 });
		balanced(done);
		const first = rows[0] ?? [];
		const [lead] = await db().select().from(leads).where(and(eq(leads.workspaceId, ws), eq(leads.firstName, first[4] ?? ''), eq(leads.street, sql`${leads.street}`))).limit(1);
		expect(lead).toBeDefined();
		const [sample] = await db()
			.select()
			.from(leads)
			.where(and(eq(leads.workspaceId, ws), sql`${leads.attributes} ? 'beds'`))
			.limit(1);
		expect(sample?.attributes).toMatchObject({ beds: expect.stringMatching(/^\d$/), yearBuilt: expect.stringMatching(/^\d{4}$/), APN: expect.any(String) });
		expect(sample?.propertyValue).toBeGreaterThan(0);
		expect(sample?.state).toMatch(/^[A-Z]{2}$/);
		expect(sample?.mailing).toMatchObject({ street: expect.any(String), zip: expect.stringMatching(/^\d{5}$/) });
		const phones = await db().select().from(leadPhones).where(eq(leadPhones.workspaceId, ws));
		expect(phones.every((p) => /^\+1\d{10}$/.test(p.e164) && p.areaCode === p.e164.slice(2, 5))).toBe(true);
		expect(new Set(phones.map((p) => p.type))).toEqual(new Set(['mobile', 'landline', 'voip', 'unknown']));
		const owners2 = rows.filter((r) => r[6]).length;
		const counts = await workspaceCounts(ws);
		expect(counts.rows).toBe(300);
		// Every row links to at least one lead; a row with a second owner links to two (unless they merged).
		expect(counts.sources).toBeGreaterThan(300 + owners2 / 2);
	});

	it('contact-centric: mobiles and landlines typed by their column, first e-mail promoted', async () => {
		const ws = await freshWorkspace('contact');
		const rows = [...contactRows(120, 12)];
		const done = await importBytes(ws, owner.user.id, encode(csvText(CONTACT_HEADERS, rows), 'utf-16le'), { parser: 'contact' });
		expect(done).toMatchObject({ status: 'completed', rowsRead: 120, rowsRejected: 0, encoding: 'utf-16le' });
		balanced(done);
		const r = rows[0] ?? [];
		const [lead] = await db().select().from(leads).where(and(eq(leads.workspaceId, ws), eq(leads.email, r[5] ?? '')));
		expect(lead).toMatchObject({ firstName: r[0], lastName: r[1], fullName: `${r[0]} ${r[1]}`, state: r[9], zip: r[10] });
		const types = await db().select({ type: leadPhones.type }).from(leadPhones).where(eq(leadPhones.leadId, lead?.id ?? ''));
		expect(types.map((t) => t.type)).toContain('mobile');
		expect(lead?.attributes).toMatchObject({ Source: r[11] });
	});

	it('generic: a mapping drives the fields, unmapped columns become attributes', async () => {
		const ws = await freshWorkspace('generic');
		const done = await importBytes(ws, owner.user.id, Buffer.from(csvText(GENERIC_HEADERS, genericRows(80), { delimiter: ';' })), {
			parser: 'generic',
			mapping: { Customer: 'fullName', Tel: 'mobile', 'Street Line': 'street', Town: 'city', Region: 'state', Postcode: 'zip', Notes: 'attribute' }
		});
		expect(done).toMatchObject({ status: 'completed', rowsRead: 80, rowsRejected: 0 });
		const [lead] = await db().select().from(leads).where(eq(leads.workspaceId, ws)).limit(1);
		expect(lead?.attributes).toHaveProperty('Notes');
		expect(lead?.firstName).toBeTruthy();
		expect(lead?.nameAddressKey).toContain('|');
	});
});

describe('bad rows are rejected with a reason and the import goes on', () => {
	it('unbalanced quotes, ragged rows, bad cells and rows with nothing usable', async () => {
		const ws = await freshWorkspace('rejects');
		const quoted = await importBytes(ws, owner.user.id, badInputs()['unbalanced-quotes.csv'] ?? Buffer.alloc(0));
		expect(quoted).toMatchObject({ status: 'completed', rowsRead: 31, rowsRejected: 1 });
		const [bad] = await db().select().from(sourceRows).where(and(eq(sourceRows.importId, quoted.id), sql`${sourceRows.rejectReason} IS NOT NULL`));
		expect(bad).toMatchObject({ rowNumber: 6, rejectReason: expect.stringMatching(/unbalanced quotes/) });
		expect(bad?.fields[0]).toContain('Unclosed');

		const ragged = await importBytes(ws, owner.user.id, badInputs()['ragged-rows.csv'] ?? Buffer.alloc(0));
		expect(ragged).toMatchObject({ status: 'completed', rowsRead: 31, rowsRejected: 2 });
		balanced(ragged);

		const cells = csvText(CONTACT_HEADERS, [
			['Ana', 'Lee', '(512) 555-0100', '', '', 'ana@example.org', '', '1 Oak St', 'Austin', 'TX', '78701', ''],
			['Bo', 'Kim', '12345', '', '', '', '', '', '', '', '', ''],
			['Cy', 'Ng', '(512) 555-0101', '', '', '', '', '1 Elm St', 'Austin', 'Texas', '787', ''],
			['Di', 'Wu', '(512) 555-0102', '', '', 'not-an-email', '', '', '', '', '', ''],
			['', '', '', '', '', '', '', '', '', '', '', 'just a note'],
			['Ed', 'Ho', '', '', '', '', '', '', '', '', '', '']
		]);
		const mixed = await importBytes(ws, owner.user.id, Buffer.from(cells));
		expect(mixed).toMatchObject({ rowsRead: 6, leadsCreated: 1, rowsRejected: 5 });
		let csv = '';
		for await (const chunk of streamRejects(db(), mixed.id)) csv += chunk;
		const lines = csv.trim().split('\r\n');
		expect(lines[0]).toBe(`row,reason,${CONTACT_HEADERS.join(',')}`);
		expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual([
			'2,"Mobile 1: ""12345"" is not a valid phone number"',
			'3,"Zip: ""787"" is not a ZIP code"',
			'4,"Email 1: ""not-an-email"" is not an e-mail address"',
			'5,no name and no phone',
			'6,no usable phone and no name with an address'
		]);
	});

	it('a UTF-8 file with Latin-1 bytes further down rejects those rows only', async () => {
		const ws = await freshWorkspace('mixed-bytes');
		const head = csvText(CONTACT_HEADERS, contactRows(2000, 5));
		const tail = encode('Zoë,Núñez,(512) 555-0177,,,,,,,,,\r\n', 'latin1');
		const done = await importBytes(ws, owner.user.id, Buffer.concat([Buffer.from(head), tail]));
		expect(done).toMatchObject({ rowsRead: 2001, rowsRejected: 1 });
		const [bad] = await db().select().from(sourceRows).where(and(eq(sourceRows.importId, done.id), eq(sourceRows.rowNumber, 2001)));
		expect(bad?.rejectReason).toMatch(/not valid UTF-8 \(the file may be in another encoding\)/);
	});
});

describe('dedupe, merge and consent', () => {
	const header = ['First Name', 'Last Name', 'Mobile 1', 'Landline 1', 'Email 1', 'Address', 'City', 'State', 'Zip'];
	const file = (rows: string[][]) => Buffer.from(csvText(header, rows));

	it('merges within a file by phone and by name + address, transitively', async () => {
		const ws = await freshWorkspace('dedupe');
		const done = await importBytes(ws, owner.user.id, file([
			['Ana', 'Lee', '(512) 555-0100', '', 'ana@example.org', '1 Oak Street', 'Austin', 'TX', '78701'],
			['Ana', 'Lee', '', '(512) 555-0150', '', '1 oak st', 'Austin', 'TX', '78701'],
			['Ana', 'Lee', '5125550150', '', '', '', '', '', ''],
			['Bo', 'Kim', '(512) 555-0200', '', '', '', '', '', '']
		]));
		expect(done).toMatchObject({ rowsRead: 4, leadsCreated: 2, leadsMerged: 2, rowsRejected: 0 });
		const all = await db().select().from(leads).where(eq(leads.workspaceId, ws));
		expect(all).toHaveLength(2);
		const ana = all.find((l) => l.firstName === 'Ana');
		const phones = await db().select({ e164: leadPhones.e164 }).from(leadPhones).where(eq(leadPhones.leadId, ana?.id ?? ''));
		expect(phones.map((p) => p.e164).sort()).toEqual(['+15125550100', '+15125550150']);
		const sources = await db().select().from(leadSources).where(eq(leadSources.leadId, ana?.id ?? ''));
		expect(sources.map((s) => s.created).sort()).toEqual([false, false, true]);
	});

	it('merges into existing leads without overwriting: differing values are kept with their source row', async () => {
		const ws = await freshWorkspace('merge');
		await importBytes(ws, owner.user.id, file([['Ana', 'Lee', '(512) 555-0100', '', 'ana@example.org', '1 Oak St', 'Austin', 'TX', '78701']]));
		const second = await importBytes(ws, owner.user.id, file([['Ana', 'Lee', '(512) 555-0100', '(512) 555-0111', 'ana.lee@example.net', '9 Elm St', 'Austin', 'TX', '78702']]));
		expect(second).toMatchObject({ rowsRead: 1, leadsCreated: 0, leadsMerged: 1 });
		const [ana] = await db().select().from(leads).where(eq(leads.workspaceId, ws));
		expect(ana).toMatchObject({ email: 'ana@example.org', street: '1 Oak St', zip: '78701' });
		const facts = await db().select().from(leadFacts).where(eq(leadFacts.leadId, ana?.id ?? ''));
		const [secondRow] = await db().select({ id: sourceRows.id }).from(sourceRows).where(eq(sourceRows.importId, second.id));
		expect(facts.map((f) => [f.field, f.value, f.sourceRowId]).sort()).toEqual([
			['email', 'ana.lee@example.net', secondRow?.id],
			['street', '9 Elm St', secondRow?.id],
			['zip', '78702', secondRow?.id]
		]);
		const phones = await db().select({ e164: leadPhones.e164 }).from(leadPhones).where(eq(leadPhones.leadId, ana?.id ?? ''));
		expect(phones).toHaveLength(2);
		expect(await db().select().from(leadSources).where(eq(leadSources.leadId, ana?.id ?? ''))).toHaveLength(2);
	});

	it("a lead's consent is the strongest basis among its sources", async () => {
		const ws = await freshWorkspace('consent');
		const row = [['Ana', 'Lee', '(512) 555-0100', '', '', '', '', '', '']];
		await importBytes(ws, owner.user.id, file(row), { consentBasis: 'none' });
		const consent = async () => (await db().select({ c: leads.consentBasis }).from(leads).where(eq(leads.workspaceId, ws)))[0]?.c;
		expect(await consent()).toBe('none');
		await importBytes(ws, owner.user.id, file(row), { consentBasis: 'express_written', consentSource: 'https://example.org/form', consentCollectedAt: new Date('2026-01-02') });
		expect(await consent()).toBe('express_written');
		await importBytes(ws, owner.user.id, file(row), { consentBasis: 'existing_relationship' });
		expect(await consent()).toBe('express_written');
		const bases = await db().select({ b: leadSources.consentBasis }).from(leadSources).innerJoin(leads, eq(leads.id, leadSources.leadId)).where(eq(leads.workspaceId, ws));
		expect(bases.map((b) => b.b).sort()).toEqual(['existing_relationship', 'express_written', 'none']);
	});

	it('deletes cascade to source rows, leads, phones, provenance and kept values, set-wise (those tables have no foreign keys)', async () => {
		const ws = await freshWorkspace('cascade');
		const rows = [['Ana', 'Lee', '(512) 555-0100', '', 'ana@example.org', '1 Oak St', 'Austin', 'TX', '78701']];
		const first = await importBytes(ws, owner.user.id, file(rows));
		await importBytes(ws, owner.user.id, file([['Ana', 'Lee', '(512) 555-0100', '', 'ana.lee@example.net', '1 Oak St', 'Austin', 'TX', '78701']]));
		const [ana] = await db().select({ id: leads.id }).from(leads).where(eq(leads.workspaceId, ws));
		const children = async (leadId: string) => ({
			phones: (await db().select().from(leadPhones).where(eq(leadPhones.leadId, leadId))).length,
			sources: (await db().select().from(leadSources).where(eq(leadSources.leadId, leadId))).length,
			facts: (await db().select().from(leadFacts).where(eq(leadFacts.leadId, leadId))).length
		});
		expect(await children(ana?.id ?? '')).toEqual({ phones: 1, sources: 2, facts: 1 });
		// An import's rows going (with the import) takes their provenance links with them.
		const rowsOf = async (importId: string) => (await db().select({ id: sourceRows.id }).from(sourceRows).where(eq(sourceRows.importId, importId))).length;
		expect(await rowsOf(first.id)).toBe(1);
		await db().delete(leadImports).where(eq(leadImports.id, first.id));
		expect(await rowsOf(first.id)).toBe(0);
		expect(await children(ana?.id ?? '')).toEqual({ phones: 1, sources: 1, facts: 1 });
		// A workspace going takes its leads, and their phones, links and kept values, and its imports' rows.
		const [second] = await db().select({ id: leadImports.id }).from(leadImports).where(eq(leadImports.workspaceId, ws));
		expect(await rowsOf(second?.id ?? '')).toBe(1);
		await db().delete(workspaces).where(eq(workspaces.id, ws));
		expect(await db().select({ id: leads.id }).from(leads).where(eq(leads.workspaceId, ws))).toEqual([]);
		expect(await rowsOf(second?.id ?? '')).toBe(0);
		expect(await children(ana?.id ?? '')).toEqual({ phones: 0, sources: 0, facts: 0 });
	});

	it('importing the same file again creates no duplicates, and inspection says it was seen', async () => {
		const ws = await freshWorkspace('rerun');
		const bytes = Buffer.from(csvText(PROPERTY_HEADERS, propertyRows(200, 21)));
		const first = await importBytes(ws, owner.user.id, bytes, { parser: 'property' });
		const before = await workspaceCounts(ws);
		const again = await importBytes(ws, owner.user.id, bytes, { parser: 'property' });
		expect(again).toMatchObject({ rowsRead: 200, leadsCreated: 0, leadsMerged: 200, rowsRejected: 0 });
		const after = await workspaceCounts(ws);
		expect({ ...after, sources: after.sources - before.sources, rows: after.rows - before.rows }).toEqual({ ...before, sources: before.sources, rows: 200 });
		expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
		const third = await uploadFile(ws, owner.user.id, bytes);
		const info = await inspectImport(db(), ws, third);
		expect(info.sameFile.map((s) => s.id)).toEqual(expect.arrayContaining([first.id, again.id]));
	});
});
