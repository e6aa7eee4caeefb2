import { z } from 'zod';
import type { ParsedTemplate } from '../templates/parse';
import type { FieldIssue } from './define';

export const MINUTES_PER_DAY = 1440;

/** Durations are whole minutes in configs: one unit, whatever the form displays. */
export function minutesSchema(min: number, max: number) {
	return z
		.number({ error: 'Enter a duration.' })
		.int('Use whole minutes.')
		.min(min, `At least ${formatMinutes(min)}.`)
		.max(max, `At most ${formatMinutes(max)}.`);
}

/** "2 days", "1 day 3 hours", "45 minutes": for labels such as "No reply after 2 days". */
export function formatMinutes(total: number): string {
	const parts: string[] = [];
	const days = Math.floor(total / MINUTES_PER_DAY);
	const hours = Math.floor((total % MINUTES_PER_DAY) / 60);
	const minutes = total % 60;
	const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
	if (days) parts.push(unit(days, 'day'));
	if (hours) parts.push(unit(hours, 'hour'));
	if (minutes || parts.length === 0) parts.push(unit(minutes, 'minute'));
	return parts.join(' ');
}

/** A template's syntax errors as issues of the field that holds it, spans kept for underlining. */
export function templateFieldIssues(field: string, template: ParsedTemplate): FieldIssue[] {
	return template.issues.map((issue) => ({ field, message: issue.message, severity: 'error', code: issue.code, start: issue.start, end: issue.end }));
}

export function addMinutes(date: Date, minutes: number): Date {
	return new Date(date.getTime() + minutes * 60_000);
}
