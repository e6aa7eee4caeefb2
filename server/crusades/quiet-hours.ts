import { z } from 'zod';
import { parseTimeOfDay, WEEKDAYS, type Span } from './schedule';

/**
 * The quiet-hours floor: hours in the recipient's local time outside which no window may send.
 *
 * The federal rule is law everywhere. The state table is DEFAULTS written from general
 * knowledge of state telemarketing and "mini-TCPA" statutes, not legal advice: each entry is
 * marked `verifyWithCounsel`, the crusade editor shows them as editable, and `source` says what
 * the default is believed to rest on. Where a statute's scope (calls vs texts, solicitations
 * vs informational) or a detail is unclear, the default takes the stricter reading, because a
 * window that is too narrow costs throughput and one that is too wide costs a lawsuit.
 */
export interface QuietRule {
	/** 'US' for the federal rule, else the state's two-letter code. */
	id: string;
	label: string;
	/** Allowed local hours per weekday (index 0 = Sunday); null = no messages that day. */
	hours: readonly (Span | null)[];
	/** No messages on US holidays (see holidays.ts for what counts). */
	closedOnHolidays: boolean;
	/** At most this many messages to one phone in 24 hours, across campaigns. */
	maxPerPhonePer24h: number | null;
	verifyWithCounsel: boolean;
	source: string;
}

type Hours = string | null;

/** Hours for every day, or per weekday with the rest defaulting to `all`. */
function hours(all: Hours, days: Partial<Record<(typeof WEEKDAYS)[number], Hours>> = {}): (Span | null)[] {
	return WEEKDAYS.map((d) => {
		const text = days[d] !== undefined ? days[d] : all;
		if (text == null) return null;
		const [start = '', end = ''] = text.split('-');
		return { start: parseTimeOfDay(start), end: parseTimeOfDay(end) };
	});
}

export const FEDERAL_RULE: QuietRule = {
	id: 'US',
	label: 'Federal (TCPA)',
	hours: hours('08:00-21:00'),
	closedOnHolidays: false,
	maxPerPhonePer24h: null,
	verifyWithCounsel: false,
	source: '47 CFR § 64.1200(c)(1): no telephone solicitation before 8 a.m. or after 9 p.m. at the called party’s location.'
};

function state(id: string, label: string, h: (Span | null)[], source: string, extra: Partial<Pick<QuietRule, 'closedOnHolidays' | 'maxPerPhonePer24h'>> = {}): QuietRule {
	return { id, label, hours: h, closedOnHolidays: extra.closedOnHolidays ?? false, maxPerPhonePer24h: extra.maxPerPhonePer24h ?? null, verifyWithCounsel: true, source: `Default to verify with counsel. ${source}` };
}

/** Stricter state rules, keyed by state code. Defaults: verify with counsel before relying on them. */
export const STATE_RULE_DEFAULTS: Readonly<Record<string, QuietRule>> = Object.freeze({
	AL: state('AL', 'Alabama', hours('08:00-20:00', { sun: null }), 'Alabama telephone solicitation rules: believed 8 a.m.–8 p.m., none on Sundays or state holidays.', { closedOnHolidays: true }),
	CT: state('CT', 'Connecticut', hours('09:00-20:00'), 'Conn. Gen. Stat. § 42-288a as amended in 2023: believed 9 a.m.–8 p.m.'),
	FL: state('FL', 'Florida', hours('08:00-20:00'), 'Florida Telephone Solicitation Act, Fla. Stat. § 501.059 (2021 amendments): believed 8 a.m.–8 p.m. and at most 3 messages per 24 h on the same subject; a Florida area code is presumed a Florida resident.', { maxPerPhonePer24h: 3 }),
	KY: state('KY', 'Kentucky', hours('10:00-21:00'), 'KRS 367.46955: believed 10 a.m.–9 p.m.'),
	LA: state('LA', 'Louisiana', hours('08:00-20:00', { sun: null }), 'Louisiana Telephone Solicitation Relief Act (La. R.S. 45:844.11 et seq.): believed 8 a.m.–8 p.m., none on Sundays or legal holidays.', { closedOnHolidays: true }),
	MA: state('MA', 'Massachusetts', hours('08:00-20:00'), 'M.G.L. c. 159C and 201 CMR 12.00: believed 8 a.m.–8 p.m.'),
	MD: state('MD', 'Maryland', hours('08:00-20:00'), 'Maryland Stop the Spam Calls Act of 2023: believed 8 a.m.–8 p.m. and at most 3 messages per 24 h on the same subject.', { maxPerPhonePer24h: 3 }),
	MN: state('MN', 'Minnesota', hours('09:00-21:00'), 'Minn. Stat. § 325E.27: believed 9 a.m.–9 p.m.'),
	MS: state('MS', 'Mississippi', hours('08:00-20:00', { sun: null }), 'Miss. Code § 77-3-725: believed 8 a.m.–8 p.m., none on Sundays.'),
	OK: state('OK', 'Oklahoma', hours('08:00-20:00'), 'Oklahoma Telephone Solicitation Act of 2022 (15 O.S. § 775C.1 et seq.): believed 8 a.m.–8 p.m. and at most 3 messages per 24 h on the same subject.', { maxPerPhonePer24h: 3 }),
	PA: state('PA', 'Pennsylvania', hours('08:00-21:00', { sun: '13:30-21:00' }), 'Pennsylvania Telemarketer Registration Act (73 P.S. § 2241 et seq.): believed 8 a.m.–9 p.m.; the Sunday afternoon start is a cautious default.'),
	RI: state('RI', 'Rhode Island', hours('09:00-18:00', { sat: '10:00-17:00', sun: null }), 'R.I. Gen. Laws § 5-61-3.4: believed 9 a.m.–6 p.m. weekdays, 10 a.m.–5 p.m. Saturdays, none on Sundays or holidays.', { closedOnHolidays: true }),
	SC: state('SC', 'South Carolina', hours('08:00-21:00', { sun: '13:00-21:00' }), 'S.C. Code § 37-21-70: believed 8 a.m.–9 p.m. Monday–Saturday, 1–9 p.m. Sunday, none on religious holidays (federal holidays stand in).', { closedOnHolidays: true }),
	TX: state('TX', 'Texas', hours('09:00-21:00', { sun: '12:00-21:00' }), 'Tex. Bus. & Com. Code § 301.051: believed 9 a.m.–9 p.m. Monday–Saturday, noon–9 p.m. Sunday.'),
	UT: state('UT', 'Utah', hours('08:00-21:00', { sun: null }), 'Utah Code § 13-25a-103: believed 8 a.m.–9 p.m.; no Sundays or legal holidays is a cautious default.', { closedOnHolidays: true }),
	WA: state('WA', 'Washington', hours('08:00-20:00'), 'RCW 80.36.390: believed 8 a.m.–8 p.m.')
});

const rangeSchema = z
	.string()
	.regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, 'expected hours such as 08:00-20:00')
	.refine((r) => {
		try {
			const [a = '', b = ''] = r.split('-');
			return parseTimeOfDay(a) < parseTimeOfDay(b);
		} catch {
			return false;
		}
	}, 'expected two 24-hour times, the second later');

/** A team's edit of one state's rule, as the crusade document stores it. */
export const stateRuleEditSchema = z.object({
	state: z.string().regex(/^[A-Z]{2}$/, 'expected a two-letter state code'),
	hours: z.object({
		all: rangeSchema.nullable(),
		sun: rangeSchema.nullable().optional(),
		mon: rangeSchema.nullable().optional(),
		tue: rangeSchema.nullable().optional(),
		wed: rangeSchema.nullable().optional(),
		thu: rangeSchema.nullable().optional(),
		fri: rangeSchema.nullable().optional(),
		sat: rangeSchema.nullable().optional()
	}),
	closedOnHolidays: z.boolean().default(false),
	maxPerPhonePer24h: z.number().int().min(1).max(50).nullable().default(null),
	note: z.string().max(500).default('')
});
export type StateRuleEdit = z.output<typeof stateRuleEditSchema>;

/** The defaults with a team's edits laid over them; an edited rule still says "verify with counsel". */
export function ruleTable(edits: readonly StateRuleEdit[] = []): Record<string, QuietRule> {
	const table: Record<string, QuietRule> = { ...STATE_RULE_DEFAULTS };
	for (const e of edits) {
		const { all, ...days } = e.hours;
		table[e.state] = state(e.state, table[e.state]?.label ?? e.state, hours(all, days), `Edited by the team. ${e.note}`.trim(), e);
	}
	return table;
}

/** The rules that bind a recipient: federal, plus every state they may be in. */
export function rulesFor(states: readonly string[], table: Readonly<Record<string, QuietRule>> = STATE_RULE_DEFAULTS): QuietRule[] {
	const out = [FEDERAL_RULE];
	for (const s of new Set(states)) {
		const rule = table[s];
		if (rule) out.push(rule);
	}
	return out;
}

/** The smallest gap between two messages to one phone that keeps every 24-hour cap among `rules`. */
export function minimumGapMs(rules: readonly QuietRule[]): number {
	let gap = 0;
	for (const r of rules) {
		// n messages in any rolling 24 h: spacing them just over 24 h / n apart keeps it at n.
		if (r.maxPerPhonePer24h) gap = Math.max(gap, Math.floor(86_400_000 / r.maxPerPhonePer24h) + 60_000);
	}
	return gap;
}
