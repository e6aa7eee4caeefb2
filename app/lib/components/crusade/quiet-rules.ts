/** The quiet-hours table as the editor shows and edits it (rules in server/crusades/quiet-hours.ts). */
import { formatTimeOfDay, WEEKDAYS, type Span, type Weekday } from '$server/crusades/schedule';
import type { QuietRule, StateRuleEdit } from '$server/crusades/quiet-hours';
import { WEEK_ORDER, WEEKDAY_LABEL } from './crusade-doc.svelte';

export const spanText = (s: Span | null): string => (s ? `${formatTimeOfDay(s.start)}-${formatTimeOfDay(s.end)}` : '');

/** "Mon–Sat 08:00–20:00 · Sun closed": consecutive days with the same hours grouped. */
export function hoursSummary(rule: Pick<QuietRule, 'hours'>): string {
	const groups: { days: Weekday[]; text: string }[] = [];
	for (const day of WEEK_ORDER) {
		const span = rule.hours[WEEKDAYS.indexOf(day)] ?? null;
		const text = span ? `${formatTimeOfDay(span.start)}–${formatTimeOfDay(span.end)}` : 'closed';
		const last = groups.at(-1);
		if (last && last.text === text) last.days.push(day);
		else groups.push({ days: [day], text });
	}
	if (groups.length === 1) return `Every day ${groups[0]!.text}`;
	const name = (d: Weekday) => WEEKDAY_LABEL[d].slice(0, 3);
	return groups.map((g) => `${g.days.length > 1 ? `${name(g.days[0]!)}–${name(g.days.at(-1)!)}` : name(g.days[0]!)} ${g.text}`).join(' · ');
}

/** A rule as an edit: every day spelled out, so changing one day never loses another's hours. */
export function editOf(rule: QuietRule, note = ''): StateRuleEdit {
	const day = (d: Weekday) => {
		const text = spanText(rule.hours[WEEKDAYS.indexOf(d)] ?? null);
		return text === '' ? null : text;
	};
	return {
		state: rule.id,
		hours: { all: day('mon'), sun: day('sun'), mon: day('mon'), tue: day('tue'), wed: day('wed'), thu: day('thu'), fri: day('fri'), sat: day('sat') },
		closedOnHolidays: rule.closedOnHolidays,
		maxPerPhonePer24h: rule.maxPerPhonePer24h,
		note
	};
}
