import { and, eq, inArray, sql } from 'drizzle-orm';
import Papa from 'papaparse';
import type { Database } from '../../db/client';
import { senderNumbers } from '../../db/schema/numbers';
import { BadInputError } from '../errors';
import { mapHeaders, OPTIONAL_FIELDS, parseSenderCsv, type ParsedSenderRow, type RowError } from './csv-import';
import type { SenderNumberFields } from './sender-number';
import { senderColumns } from './service';

/**
 * A CSV of sender numbers into the inventory: parsed row by row (server/numbers/csv-import.ts),
 * then every valid row upserted by E.164 while the bad ones are reported. Nothing accepted is
 * lost to a bad neighbour: the file is not all-or-nothing, only each row is.
 */

/** About 10,000 rows of a provider export; the request body limit is 1 MB by default. */
export const MAX_SENDER_CSV_CHARS = 900_000;
/** Errors listed back (the count is always whole): a file of nothing but errors should not be echoed in full. */
export const MAX_LISTED_ERRORS = 200;
/** Rows per INSERT: 12 parameters each stays well under Postgres' 65,535. */
const CHUNK = 1000;

export type SenderField = NonNullable<RowError['field']>;

export interface SenderCsvPreview {
	/** Each header of the file and the field it fills (null: ignored). */
	columns: { header: string; field: SenderField | null }[];
	/** Rows that would be imported. */
	valid: number;
	/** Rows that would be refused. */
	rejected: number;
	errors: RowError[];
	/** The first valid rows, as they would be stored. */
	sample: (SenderNumberFields & { row: number })[];
}

export interface SenderImportSummary {
	created: number;
	updated: number;
	unchanged: number;
	rejected: number;
	errors: RowError[];
}

function parsed(text: string) {
	const result = parseSenderCsv(text);
	if (!result.ok) throw new BadInputError(result.message);
	const rejectedRows = new Set(result.errors.map((e) => e.row));
	return { ...result, rejected: rejectedRows.size };
}

/** What an import of this text would do, without writing: the column mapping and every row's fate. */
export function previewSenderCsv(text: string): SenderCsvPreview {
	const result = parsed(text);
	const header = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { preview: 1 }).data[0] ?? [];
	const mapping = mapHeaders(header);
	const byColumn = new Map(Object.entries(mapping).map(([field, i]) => [i, field as SenderField]));
	return {
		columns: header.map((h, i) => ({ header: h, field: byColumn.get(i) ?? null })),
		valid: result.numbers.length,
		rejected: result.rejected,
		errors: result.errors.slice(0, MAX_LISTED_ERRORS),
		sample: result.numbers.slice(0, 5).map(({ row, number }) => ({ row, ...number }))
	};
}

const same = (a: SenderNumberFields, b: SenderNumberFields) =>
	a.providerAccount === b.providerAccount &&
	a.brandId === b.brandId &&
	a.campaignId === b.campaignId &&
	a.areaCode === b.areaCode &&
	a.state === b.state &&
	a.status === b.status &&
	a.dailyCap === b.dailyCap;

/**
 * A known number as the file leaves it: the file's required fields, and of the optional ones
 * only those the row gives a value for. A column the file lacks (or a blank cell) keeps what is
 * stored, so an export without a status column does not reactivate paused or blocked numbers.
 */
function merged(before: SenderNumberFields, row: ParsedSenderRow): SenderNumberFields {
	const next: SenderNumberFields = { ...row.number };
	for (const field of OPTIONAL_FIELDS) if (!row.given.includes(field)) (next as Record<typeof field, unknown>)[field] = before[field];
	return next;
}

/**
 * Imports the valid rows: new numbers are added, known ones (same E.164) take the file's
 * values (see `merged`), identical ones are left alone (their `updated_at` keeps saying when
 * they last changed).
 */
export async function importSenderCsv(db: Database, workspaceId: string, userId: string, text: string): Promise<SenderImportSummary> {
	const result = parsed(text);
	const summary: SenderImportSummary = { created: 0, updated: 0, unchanged: 0, rejected: result.rejected, errors: result.errors.slice(0, MAX_LISTED_ERRORS) };
	await db.transaction(async (tx) => {
		for (let start = 0; start < result.numbers.length; start += CHUNK) {
			const rows = result.numbers.slice(start, start + CHUNK);
			const existing = await tx
				.select(senderColumns)
				.from(senderNumbers)
				.where(
					and(
						eq(senderNumbers.workspaceId, workspaceId),
						inArray(
							senderNumbers.e164,
							rows.map((r) => r.number.e164)
						)
					)
				);
			const known = new Map(existing.map((n) => [n.e164, n]));
			const writes: SenderNumberFields[] = [];
			for (const row of rows) {
				const before = known.get(row.number.e164);
				const next = before ? merged(before, row) : row.number;
				if (!before) summary.created++;
				else if (same(before, next)) summary.unchanged++;
				else summary.updated++;
				if (!before || !same(before, next)) writes.push(next);
			}
			if (writes.length === 0) continue;
			await tx
				.insert(senderNumbers)
				.values(writes.map((n) => ({ ...n, workspaceId, createdBy: userId })))
				.onConflictDoUpdate({
					target: [senderNumbers.workspaceId, senderNumbers.e164],
					set: {
						providerAccount: sql`excluded.provider_account`,
						brandId: sql`excluded.brand_id`,
						campaignId: sql`excluded.campaign_id`,
						areaCode: sql`excluded.area_code`,
						state: sql`excluded.state`,
						status: sql`excluded.status`,
						dailyCap: sql`excluded.daily_cap`,
						updatedAt: sql`now()`
					}
				});
		}
	});
	return summary;
}
