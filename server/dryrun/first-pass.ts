import { sql, type SQL } from 'drizzle-orm';
import { filterWhere } from '../leads/filter';
import type { DryRunConfig } from './input';

/**
 * The first pass, in two streams read one after the other in one snapshot (run.ts):
 *
 * 1. every phone of the audience's leads with its type, whether it is on do-not-contact, its
 *    age and last send; Node keeps each lead's best phone as they stream by (best-phones.ts);
 * 2. every audience lead once (first campaign whose audience holds it) with what the per-lead
 *    pass and the message need, joined in Node to its best phone.
 *
 * Both start streaming at once: no sort, no aggregate, nothing Postgres must finish before the
 * first row (the single query this replaced sorted every phone first, and the per-lead pass
 * waited out those seconds).
 */

/** A US number 10DLC can text: NANP, area code and exchange not starting with 0 or 1 (best-phones.ts tells it in Node). */
export const US_E164 = '^\\+1[2-9][0-9]{2}[2-9][0-9]{6}$';

/**
 * The retext-cooldown hook: a query of (e164, last_sent_at) over the workspace's send log. There
 * is no messages table yet, so history is empty; when the sender lands, this returns
 * `select e164, max(sent_at) … group by e164` and the allocator does the rest (a phone in
 * cooldown is pushed past its gap, and blocked as 'cooldown' only if that is past the end).
 */
export function lastSentSource(_workspaceId: string): SQL | null {
	return null;
}

export function audienceWhere(workspaceId: string, config: DryRunConfig): { where: SQL; campaign: SQL } {
	const filters = config.campaigns.map((c) => sql`(${filterWhere(workspaceId, c.audience)})`);
	const where = sql.join(filters, sql` or `);
	const campaign = filters.length === 1 ? sql`0` : sql`case ${sql.join(filters.map((f, i) => sql`when ${f} then ${i}`), sql` `)} end`;
	return { where: sql`l.workspace_id = ${workspaceId} and (${where})`, campaign };
}

/** Each phone row's columns, in order (read as COPY text, by position). */
export const PHONE_COLUMNS = ['lead_id', 'e164', 'area_code', 'type', 'dnc', 'created', 'last_sent_ms'] as const;
export const PHONE = Object.fromEntries(PHONE_COLUMNS.map((c, i) => [c, i])) as { readonly [K in (typeof PHONE_COLUMNS)[number]]: number };

/**
 * Each lead row's columns, in order; the lead's best phone and its area code follow
 * them in the same line (filled in by Node), so the per-lead pass reads one row of `PASS`.
 */
export const LEAD_COLUMNS = ['id', 'campaign', 'no_consent', 'state', 'zip', 'm_state', 'm_zip', 'time_zone', 'first_name', 'last_name', 'full_name', 'email', 'street', 'city'] as const;
export const PASS_COLUMNS = [...LEAD_COLUMNS, 'e164', 'area_code'] as const;
export const PASS = Object.fromEntries(PASS_COLUMNS.map((c, i) => [c, i])) as { readonly [K in (typeof PASS_COLUMNS)[number]]: number };

/**
 * Phone rows (stream 1), in no particular order: of the audience's leads, or of every lead in the
 * workspace when the audience is most of it. Narrowing to the audience costs a hash of its ids
 * before the first row; phones of other leads cost only their rows (Node never looks them up).
 */
export function phonesQuery(workspaceId: string, config: DryRunConfig, scope: 'audience' | 'workspace' = 'audience'): SQL {
	const { where } = audienceWhere(workspaceId, config);
	const leadsOf = scope === 'audience' ? sql` and p.lead_id in (select l.id from leads l where ${where})` : sql``;
	const history = lastSentSource(workspaceId);
	const lastSent = history ? sql`(select h.last_sent_at from (${history}) h where h.e164 = p.e164)` : sql`null::timestamptz`;
	// Plain columns: whether the number is a textable US one and how its type ranks are told in
	// Node (best-phones.ts), where they cost nanoseconds; in SQL they were a second per million.
	return sql`
		select p.lead_id, p.e164, p.area_code, p.type, d.e164 is not null as dnc,
			date_part('epoch', p.created_at) as created,
			(extract(epoch from ${lastSent}) * 1000)::float8 as last_sent_ms
		from lead_phones p
		left join dnc_entries d on d.workspace_id = p.workspace_id and d.e164 = p.e164
		where p.workspace_id = ${workspaceId}${leadsOf}`;
}

/** Audience leads (stream 2), one row each, in no particular order. */
export function leadsQuery(workspaceId: string, config: DryRunConfig): SQL {
	const { where, campaign } = audienceWhere(workspaceId, config);
	return sql`
		select l.id, ${campaign}::int as campaign, l.consent_basis = 'none' as no_consent, l.state, l.zip,
			l.mailing->>'state' as m_state, l.mailing->>'zip' as m_zip, l.time_zone,
			l.first_name, l.last_name, l.full_name, l.email, l.street, l.city
		from leads l
		where ${where}`;
}

/** The audience's size and the workspace's, in one scan (the engine's own count, in its snapshot). */
export function audienceSizeQuery(workspaceId: string, config: DryRunConfig): SQL {
	return sql`select (count(*) filter (where ${audienceWhere(workspaceId, config).where}))::int as n, count(*)::int as workspace from leads l where l.workspace_id = ${workspaceId}`;
}

/** The baseline the benchmark compares against: the plain count of the same audience. */
export function audienceCountQuery(workspaceId: string, config: DryRunConfig): SQL {
	return sql`select count(*)::int as n from leads l where ${audienceWhere(workspaceId, config).where}`;
}
