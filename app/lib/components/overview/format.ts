/** Words for the live grid's figures. */

/** "1 campaign", "3 campaigns", "1,204 leads". */
export function count(n: number, one: string, many = `${one}s`): string {
	return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** The word after a headline figure: "campaign" or "campaigns". */
export function noun(n: number, one: string, many = `${one}s`): string {
	return n === 1 ? one : many;
}

/** "Mar 3 – Mar 30", or one date when both are the same day. Dates may arrive as ISO strings. */
export function dateRange(from: Date | string, to: Date | string): string {
	const a = new Date(from);
	const b = new Date(to);
	const day = (d: Date) => d.toLocaleDateString(undefined, { month: 'short', day: 'numeric', year: a.getFullYear() === b.getFullYear() ? undefined : 'numeric' });
	return a.toDateString() === b.toDateString() ? day(a) : `${day(a)} – ${day(b)}`;
}

/** Tones of the small pills every stage uses. */
export const PILL = 'inline-flex shrink-0 items-center gap-1 rounded-full border px-1.5 py-px text-[11px] font-medium';
export const TONE = {
	neutral: 'border-line bg-subtle text-muted',
	accent: 'border-transparent bg-accent-soft text-accent-ink',
	good: 'border-emerald-200 bg-emerald-50 text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-300',
	warn: 'border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200',
	bad: 'border-red-200 bg-red-50 text-red-700 dark:border-red-900 dark:bg-red-950/40 dark:text-red-300'
} as const;
