import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client';
import type { ConsentBasis, PhoneType } from '../../db/schema/leads';
import { BadInputError } from '../errors';
import { filterWhere, type LeadFilter, type LeadSort } from './filter';

/**
 * The leads table: a filter, a sort and keyset pages of 50. Every sort walks an index in
 * its own order ((workspace, created_at, id), (workspace, full_name, id), (workspace,
 * state, id)), so page 1,000 costs what page 1 does.
 */

export const PAGE_SIZE = 50;
/** Counts stop here: "10,000+ leads" is as useful as an exact figure and far cheaper. */
export const COUNT_CAP = 10_000;

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
	/** Only on the first page. */
	total: { count: number; capped: boolean } | null;
}

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

async function rowsPage(db: Database, where: SQL, sort: LeadSort, cursor: Cursor | null, limit: number): Promise<RawRow[]> {
	if (sort === 'created') {
		const after = cursor ? sql` and (l.created_at, l.id) < (${cursor.k}::timestamptz, ${cursor.id}::uuid)` : sql``;
		return (await db.execute<RawRow>(sql`select ${columns} from leads l where ${where}${after} order by l.created_at desc, l.id desc limit ${limit}`)).rows;
	}
	if (sort === 'name') {
		const after = cursor ? sql` and (l.full_name, l.id) > (${cursor.k ?? ''}, ${cursor.id}::uuid)` : sql``;
		return (await db.execute<RawRow>(sql`select ${columns} from leads l where ${where}${after} order by l.full_name, l.id limit ${limit}`)).rows;
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

export async function countLeads(db: Database, workspaceId: string, filter: LeadFilter): Promise<{ count: number; capped: boolean }> {
	const result = await db.execute<{ n: number }>(
		sql`select count(*)::int as n from (select 1 from leads l where ${filterWhere(workspaceId, filter)} limit ${COUNT_CAP + 1}) c`
	);
	const n = result.rows[0]?.n ?? 0;
	return { count: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
}

export async function searchLeads(
	db: Database,
	workspaceId: string,
	input: { filter: LeadFilter; sort: LeadSort; cursor?: string | null; limit?: number }
): Promise<LeadPage> {
	const limit = input.limit ?? PAGE_SIZE;
	const cursor = input.cursor ? decodeCursor(input.cursor) : null;
	const where = filterWhere(workspaceId, input.filter);
	const raw = await rowsPage(db, where, input.sort, cursor, limit + 1);
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
		nextCursor: more && last ? encodeCursor({ k: keyOf(last, input.sort), id: last.id }) : null,
		total: cursor ? null : await countLeads(db, workspaceId, input.filter)
	};
}
