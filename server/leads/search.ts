import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client';
import type { ConsentBasis, PhoneType } from '../../db/schema/leads';
import { BadInputError } from '../errors';
import { filterWhere, isPhoneSearch, type LeadFilter, type LeadSort } from './filter';

/**
 * The leads table: a filter, a sort and keyset pages of 50. Every sort walks an index in
 * its own order ((workspace, created_at, id), (workspace, full_name, id), (workspace,
 * state, id)), so page 1,000 costs what page 1 does.
 */

export const PAGE_SIZE = 50;
/** Counts stop here: "10,000+ leads" is as useful as an exact figure and far cheaper. */
export const COUNT_CAP = 10_000;
/** A count that takes longer than this is given up (the table shows no figure). */
const COUNT_TIMEOUT_MS = 2_000;
/**
 * Text searches first collect up to this many matches through the word index and sort
 * them; only a term matching more than that walks the sort index with the filter (a common
 * term finds its 50 rows there at once, a rare one would have to scan the whole index).
 */
const TEXT_CANDIDATES = 2_000;

export interface LeadPhone {
	e164: string;
	type: PhoneType;
	dnc: boolean;
}

export interface LeadRow {
	id: string;
	fullName: string;
	street: string | null;
	city: string | null;
	state: string | null;
	zip: string | null;
	tags: string[];
	consentBasis: ConsentBasis;
	createdAt: Date;
	phones: LeadPhone[];
	/** A phone of this lead is on the do-not-contact list. */
	dnc: boolean;
}

export interface LeadPage {
	rows: LeadRow[];
	nextCursor: string | null;
}

/** How many leads a filter matches: exact up to COUNT_CAP, else "more than"; null when counting took too long. */
export type LeadCount = { count: number; capped: boolean } | null;

const cursorSchema = z.object({ k: z.string().nullable(), id: z.uuid() });
type Cursor = z.infer<typeof cursorSchema>;

function encodeCursor(cursor: Cursor): string {
	return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(value: string): Cursor {
	try {
		return cursorSchema.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
	} catch {
		throw new BadInputError('That page link is no longer valid; start from the first page.');
	}
}

interface RawRow extends Record<string, unknown> {
	id: string;
	full_name: string;
	street: string | null;
	city: string | null;
	state: string | null;
	zip: string | null;
	tags: string[];
	consent_basis: ConsentBasis;
	created_at: Date | string;
	created_key: string;
}

const columns = sql`l.id, l.full_name, l.street, l.city, l.state, l.zip, l.tags, l.consent_basis, l.created_at, l.created_at::text as created_key`;

function keysetOf(sort: 'created' | 'name', cursor: Cursor | null): { after: SQL; order: SQL } {
	if (sort === 'created') {
		return {
			after: cursor ? sql` and (l.created_at, l.id) < (${cursor.k}::timestamptz, ${cursor.id}::uuid)` : sql``,
			order: sql`l.created_at desc, l.id desc`
		};
	}
	return { after: cursor ? sql` and (l.full_name, l.id) > (${cursor.k ?? ''}, ${cursor.id}::uuid)` : sql``, order: sql`l.full_name, l.id` };
}

/** A text search's page from its matches when they are few (see TEXT_CANDIDATES); null when they are many. */
async function fewMatchesPage(db: Database, where: SQL, sort: LeadSort, cursor: Cursor | null, limit: number): Promise<RawRow[] | null> {
	if (sort === 'state') return null;
	const { after, order } = keysetOf(sort, cursor);
	const result = await db.execute<RawRow & { matched: number }>(sql`
		with m as materialized (select ${columns} from leads l where ${where}${after} limit ${TEXT_CANDIDATES + 1})
		select l.*, (select count(*)::int from m) as matched from m l order by ${order} limit ${limit}`);
	const matched = result.rows[0]?.matched ?? 0;
	return matched > TEXT_CANDIDATES ? null : result.rows;
}

async function rowsPage(db: Database, where: SQL, sort: LeadSort, cursor: Cursor | null, limit: number, text: boolean): Promise<RawRow[]> {
	if (text) {
		const few = await fewMatchesPage(db, where, sort, cursor, limit);
		if (few) return few;
	}
	if (sort !== 'state') {
		const { after, order } = keysetOf(sort, cursor);
		return (await db.execute<RawRow>(sql`select ${columns} from leads l where ${where}${after} order by ${order} limit ${limit}`)).rows;
	}
	// State, leads without one last: the non-null part walks the index by (state, id), then
	// the null part by id, each with its own index condition.
	const rows: RawRow[] = [];
	if (!cursor || cursor.k !== null) {
		const after = cursor ? sql` and (l.state, l.id) > (${cursor.k}, ${cursor.id}::uuid)` : sql``;
		rows.push(...(await db.execute<RawRow>(sql`select ${columns} from leads l where ${where} and l.state is not null${after} order by l.state, l.id limit ${limit}`)).rows);
	}
	if (rows.length < limit) {
		const after = cursor && cursor.k === null ? sql` and l.id > ${cursor.id}::uuid` : sql``;
		rows.push(...(await db.execute<RawRow>(sql`select ${columns} from leads l where ${where} and l.state is null${after} order by l.id limit ${limit - rows.length}`)).rows);
	}
	return rows;
}

function keyOf(row: RawRow, sort: LeadSort): string | null {
	return sort === 'created' ? row.created_key : sort === 'name' ? row.full_name : row.state;
}

/** Phones of these leads, each with its do-not-contact flag. */
export async function phonesOf(db: Database, workspaceId: string, leadIds: string[]): Promise<Map<string, LeadPhone[]>> {
	const byLead = new Map<string, LeadPhone[]>();
	if (leadIds.length === 0) return byLead;
	const ids = sql.join(leadIds.map((id) => sql`${id}::uuid`), sql`, `);
	const result = await db.execute<{ lead_id: string; e164: string; type: PhoneType; dnc: boolean }>(sql`
		select p.lead_id, p.e164, p.type, (d.e164 is not null) as dnc
		from lead_phones p
		left join dnc_entries d on d.workspace_id = p.workspace_id and d.e164 = p.e164
		where p.workspace_id = ${workspaceId} and p.lead_id in (${ids})
		order by p.created_at, p.e164`);
	for (const row of result.rows) {
		const list = byLead.get(row.lead_id) ?? [];
		list.push({ e164: row.e164, type: row.type, dnc: row.dnc });
		byLead.set(row.lead_id, list);
	}
	return byLead;
}

/**
 * Counts a filter's leads up to COUNT_CAP, walking the same index as the table's first page
 * (so a broad filter stops early), within COUNT_TIMEOUT_MS. Asked for separately from the
 * rows, so the table never waits for it.
 */
export async function countLeads(db: Database, workspaceId: string, filter: LeadFilter): Promise<LeadCount> {
	try {
		return await db.transaction(async (tx) => {
			await tx.execute(sql.raw(`set local statement_timeout = ${COUNT_TIMEOUT_MS}`));
			const result = await tx.execute<{ n: number }>(
				sql`select count(*)::int as n from (select 1 from leads l where ${filterWhere(workspaceId, filter)} order by l.created_at desc, l.id desc limit ${COUNT_CAP + 1}) c`
			);
			const n = result.rows[0]?.n ?? 0;
			return { count: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
		});
	} catch (error) {
		if ((error as { code?: string; cause?: { code?: string } }).code === '57014' || (error as { cause?: { code?: string } }).cause?.code === '57014') return null;
		throw error;
	}
}

export async function searchLeads(
	db: Database,
	workspaceId: string,
	input: { filter: LeadFilter; sort: LeadSort; cursor?: string | null; limit?: number }
): Promise<LeadPage> {
	const limit = input.limit ?? PAGE_SIZE;
	const cursor = input.cursor ? decodeCursor(input.cursor) : null;
	const where = filterWhere(workspaceId, input.filter);
	const text = !!input.filter.q && !isPhoneSearch(input.filter.q);
	const raw = await rowsPage(db, where, input.sort, cursor, limit + 1, text);
	const more = raw.length > limit;
	const page = more ? raw.slice(0, limit) : raw;
	const phones = await phonesOf(
		db,
		workspaceId,
		page.map((r) => r.id)
	);
	const last = page.at(-1);
	return {
		rows: page.map((r) => {
			const list = phones.get(r.id) ?? [];
			return {
				id: r.id,
				fullName: r.full_name,
				street: r.street,
				city: r.city,
				state: r.state,
				zip: r.zip,
				tags: r.tags,
				consentBasis: r.consent_basis,
				createdAt: new Date(r.created_at),
				phones: list,
				dnc: list.some((p) => p.dnc)
			};
		}),
		nextCursor: more && last ? encodeCursor({ k: keyOf(last, input.sort), id: last.id }) : null
	};
}
