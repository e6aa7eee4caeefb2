import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { CONSENT_BASES } from '../../db/schema/leads';
import { looksLikePhone, phonePrefix, toE164 } from './phone';

/**
 * A lead filter: what the leads table shows, what a saved filter stores, and (later) a
 * crusade's audience. One schema, so all three agree on what a filter means.
 */
export const leadFilterSchema = z.object({
	/** Phone (any format; normalised to E.164), name or street address. */
	q: z.string().trim().max(200).optional(),
	states: z.array(z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'expected a two-letter state')).max(60).optional(),
	areaCodes: z.array(z.string().trim().regex(/^\d{3}$/, 'expected a three-digit area code')).max(100).optional(),
	city: z.string().trim().max(100).optional(),
	zip: z.string().trim().regex(/^\d{5}$/, 'expected a five-digit ZIP code').optional(),
	/** Leads carrying every one of these tags. */
	tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
	/** Leads with at least one source row from this import (source file). */
	importId: z.uuid().optional(),
	consent: z.array(z.enum(CONSENT_BASES)).max(3).optional(),
	/** listed: a phone of the lead is on the do-not-contact list; clear: none is. */
	dnc: z.enum(['any', 'listed', 'clear']).optional(),
	/** Imported attributes, each `key = value` exactly. */
	attributes: z
		.array(z.object({ key: z.string().trim().min(1).max(100), value: z.string().trim().max(500) }))
		.max(10)
		.optional()
});

export type LeadFilter = z.infer<typeof leadFilterSchema>;

export const LEAD_SORTS = ['created', 'name', 'state'] as const;
export type LeadSort = (typeof LEAD_SORTS)[number];

/** A filter with empty parts removed, so equal filters look equal when saved. */
export function compactFilter(filter: LeadFilter): LeadFilter {
	const out: LeadFilter = {};
	if (filter.q) out.q = filter.q;
	if (filter.states?.length) out.states = [...new Set(filter.states)].sort();
	if (filter.areaCodes?.length) out.areaCodes = [...new Set(filter.areaCodes)].sort();
	if (filter.city) out.city = filter.city;
	if (filter.zip) out.zip = filter.zip;
	if (filter.tags?.length) out.tags = [...new Set(filter.tags)].sort();
	if (filter.importId) out.importId = filter.importId;
	if (filter.consent?.length) out.consent = [...new Set(filter.consent)].sort();
	if (filter.dnc && filter.dnc !== 'any') out.dnc = filter.dnc;
	if (filter.attributes?.length) out.attributes = filter.attributes.filter((a) => a.key);
	return out;
}

/** Whether a search is read as a phone number (exact or prefix), not as text. */
export function isPhoneSearch(q: string): boolean {
	return looksLikePhone(q) && (toE164(q) !== null || phonePrefix(q) !== null);
}

/**
 * What text search looks in: the words of a lead's name and street, as `leads_search_idx`
 * indexes them (the expression must stay identical to the index's). Words, not trigrams:
 * a name and street make ~5 index entries instead of ~35, and index upkeep is what a
 * million-row import pays for.
 */
export const SEARCH_DOCUMENT = sql`to_tsvector('simple'::regconfig, l.full_name || ' ' || coalesce(l.street, ''))`;

/**
 * The search part of a filter. A full phone number is an exact lookup on the phones' key;
 * a partial one a range scan on it. Text matches leads where every word typed starts a word
 * of the name or street ("jen rod" finds Jennifer Rodriguez, "oak" finds 12 Oak St), split
 * into words by PostgreSQL's own parser so the query's words are cut like the index's.
 * Text shorter than three characters only matches names from their start (a one-letter
 * word prefix would match most of the index).
 */
function searchCondition(workspaceId: string, q: string): SQL {
	if (looksLikePhone(q)) {
		const e164 = toE164(q);
		if (e164) return sql`l.id in (select p.lead_id from lead_phones p where p.workspace_id = ${workspaceId} and p.e164 = ${e164})`;
		const prefix = phonePrefix(q);
		if (prefix) {
			// Digits sort before ':' in every collation, so this range is exactly the prefix.
			return sql`l.id in (select p.lead_id from lead_phones p where p.workspace_id = ${workspaceId} and p.e164 >= ${prefix} and p.e164 < ${`${prefix}:`})`;
		}
	}
	if (q.length < 3) return sql`l.full_name ilike ${`${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`;
	// No words at all (only punctuation) makes the query null, which matches nothing.
	const words = sql`(select to_tsquery('simple', string_agg(quote_literal(w) || ':*', ' & ')) from unnest(tsvector_to_array(to_tsvector('simple', ${q}::text))) w)`;
	return sql`${SEARCH_DOCUMENT} @@ ${words}`;
}

/** The WHERE clause of a filter over `leads l`, always scoped to the workspace. */
export function filterWhere(workspaceId: string, filter: LeadFilter): SQL {
	const parts: SQL[] = [sql`l.workspace_id = ${workspaceId}`];
	if (filter.q) parts.push(searchCondition(workspaceId, filter.q));
	if (filter.states?.length) parts.push(sql`l.state in (${sql.join(filter.states.map((s) => sql`${s}`), sql`, `)})`);
	if (filter.areaCodes?.length) {
		// A NANP number's area code is the three digits after "+1" (lead_phones.area_code says
		// the same), so each code is a range of the phones' primary key: no index of its own.
		const ranges = filter.areaCodes.map((c) => sql`(p.e164 >= ${`+1${c}`} and p.e164 < ${`+1${c}:`})`);
		parts.push(sql`l.id in (select p.lead_id from lead_phones p where p.workspace_id = ${workspaceId} and (${sql.join(ranges, sql` or `)}))`);
	}
	if (filter.city) parts.push(sql`lower(l.city) = lower(${filter.city})`);
	if (filter.zip) parts.push(sql`l.zip = ${filter.zip}`);
	if (filter.tags?.length) parts.push(sql`l.tags @> ${`{${filter.tags.map((t) => `"${t.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`}::text[]`);
	if (filter.importId) parts.push(sql`l.id in (select s.lead_id from lead_sources s where s.import_id = ${filter.importId})`);
	if (filter.consent?.length) parts.push(sql`l.consent_basis in (${sql.join(filter.consent.map((c) => sql`${c}`), sql`, `)})`);
	if (filter.dnc === 'listed' || filter.dnc === 'clear') {
		const listed = sql`exists (select 1 from lead_phones p join dnc_entries d on d.workspace_id = p.workspace_id and d.e164 = p.e164 where p.lead_id = l.id)`;
		parts.push(filter.dnc === 'listed' ? listed : sql`not ${listed}`);
	}
	for (const { key, value } of filter.attributes ?? []) {
		parts.push(sql`l.attributes @> ${JSON.stringify({ [key]: value })}::jsonb`);
	}
	return sql.join(parts, sql` and `);
}
