import { sql, type SQL } from 'drizzle-orm';
import { filterWhere } from '../leads/filter';
import type { DryRunConfig } from './input';

/**
 * The set-based first pass: every audience lead once (first campaign whose audience holds it),
 * joined with its best phone, with the reasons SQL can decide on its own — do-not-contact, no
 * consent basis, no phone, invalid phone, landline — as a text[] per row.
 *
 * "Best phone": one that can be texted if any can (not a landline, not listed, a valid US
 * number), then mobile before VoIP before unknown, then the oldest. A lead whose only phone is
 * a listed landline therefore shows both reasons.
 */

/** A US number 10DLC can text: NANP, area code and exchange not starting with 0 or 1. */
export const US_E164 = '^\\+1[2-9][0-9]{2}[2-9][0-9]{6}$';

/**
 * `e164 !~ US_E164` without the regex engine, which cost ~2 µs a phone, over half the first
 * pass's time at a million leads: 12 bytes, "+1", ten ASCII digits, area code and exchange not
 * starting with 0 or 1. Null for a null phone, as the regex. The test in dryrun-engine.test.ts
 * holds the two equal on awkward inputs.
 */
export function notUsE164(phone: SQL): SQL {
	return sql`(not (octet_length(${phone}) = 12 and left(${phone}, 2) = '+1' and substr(${phone}, 3, 1) not in ('0', '1') and substr(${phone}, 6, 1) not in ('0', '1') and translate(substr(${phone}, 3), '0123456789', '') = ''))`;
}

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

/**
 * The first pass's columns, in order (it is read as COPY text, by position): the reasons first,
 * then what a blocked row is written with, then what only the per-lead pass reads.
 */
export const PASS_COLUMNS = ['reasons', 'id', 'e164', 'campaign', 'area_code', 'state', 'zip', 'm_state', 'm_zip', 'time_zone', 'first_name', 'last_name', 'full_name', 'email', 'street', 'city', 'last_sent_ms'] as const;
export const PASS = Object.fromEntries(PASS_COLUMNS.map((c, i) => [c, i])) as { readonly [K in (typeof PASS_COLUMNS)[number]]: number };

/** `select` of the first pass, one row per audience lead, in no particular order. */
export function firstPassQuery(workspaceId: string, config: DryRunConfig): SQL {
	const { where, campaign } = audienceWhere(workspaceId, config);
	const history = lastSentSource(workspaceId);
	const lastSent = history ? sql`(select h.last_sent_at from (${history}) h where h.e164 = p.e164)` : sql`null::timestamptz`;
	// Set-based on purpose: the best phone of every phone in the workspace by one sort (DISTINCT ON),
	// hash-joined to the audience. A per-lead LATERAL probe was 31 s of a 57 s million-lead run
	// (random index and heap reads, then a sort of the wide rows by id). No ORDER BY: the engine
	// sorts the survivors by lead id itself, so the order rows arrive in does not matter.
	return sql`
		select
			array_remove(array[
				case when p.dnc then 'dnc' end,
				case when ${config.requireConsent} and l.consent_basis = 'none' then 'no_consent' end,
				case when p.e164 is null then 'no_phone' end,
				case when ${notUsE164(sql`p.e164`)} then 'invalid_phone' end,
				case when p.type = 'landline' then 'landline' end
			], null) as reasons,
			l.id, p.e164, ${campaign}::int as campaign, p.area_code, l.state, l.zip,
			l.mailing->>'state' as m_state, l.mailing->>'zip' as m_zip, l.time_zone,
			l.first_name, l.last_name, l.full_name, l.email, l.street, l.city,
			(extract(epoch from ${lastSent}) * 1000)::float8 as last_sent_ms
		from leads l
		left join (
			select distinct on (p.lead_id) p.lead_id, p.e164, p.type, p.area_code, (d.e164 is not null) as dnc
			from lead_phones p
			left join dnc_entries d on d.workspace_id = p.workspace_id and d.e164 = p.e164
			where p.workspace_id = ${workspaceId}
			order by p.lead_id, (p.type = 'landline' or d.e164 is not null or ${notUsE164(sql`p.e164`)}),
				case p.type when 'mobile' then 0 when 'voip' then 1 when 'unknown' then 2 else 3 end, p.created_at, p.e164
		) p on p.lead_id = l.id
		where ${where}`;
}

/** The baseline the benchmark compares against: the plain count of the same audience. */
export function audienceCountQuery(workspaceId: string, config: DryRunConfig): SQL {
	return sql`select count(*)::int as n from leads l where ${audienceWhere(workspaceId, config).where}`;
}
