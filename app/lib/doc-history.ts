/** Words and times for a co-edited document's history (the History panel). */
import * as Y from 'yjs';

export type VersionReason = 'compaction' | 'activity' | 'restore' | 'shutdown';

const REASONS: Record<VersionReason, string> = {
	activity: 'Auto-saved while editing',
	compaction: 'Compacted',
	restore: 'Before restore',
	shutdown: 'Saved at server shutdown'
};

export function reasonLabel(reason: string): string {
	return REASONS[reason as VersionReason] ?? 'Saved';
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
	['year', 365 * 24 * 3600],
	['month', 30 * 24 * 3600],
	['week', 7 * 24 * 3600],
	['day', 24 * 3600],
	['hour', 3600],
	['minute', 60]
];

/**
 * "just now", "3 minutes ago", "yesterday", "2 weeks ago". Dates arrive from tRPC as ISO
 * strings (no transformer), so both forms are accepted.
 */
export function relativeTime(value: Date | string, now: Date = new Date(), locale?: string): string {
	const date = typeof value === 'string' ? new Date(value) : value;
	const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
	if (Math.abs(seconds) < 45) return 'just now';
	const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
	for (const [unit, size] of UNITS) {
		if (Math.abs(seconds) >= size || unit === 'minute') return format.format(Math.round(seconds / size), unit);
	}
	return 'just now';
}

/** "9:07 AM" today, "Nov 20, 9:07 AM" on another day: tells apart versions made minutes apart. */
export function clockTime(value: Date | string, now: Date = new Date(), locale?: string): string {
	const date = typeof value === 'string' ? new Date(value) : value;
	const sameDay = date.toDateString() === now.toDateString();
	return sameDay
		? date.toLocaleTimeString(locale, { hour: 'numeric', minute: '2-digit' })
		: date.toLocaleString(locale, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
}

/** "Ada Lovelace", "Ada and Grace", "Ada, Grace and 2 others". */
export function peopleList(names: string[]): string {
	if (names.length === 0) return 'No one';
	if (names.length === 1) return names[0] ?? '';
	if (names.length === 2) return `${names[0]} and ${names[1]}`;
	const others = names.length - 2;
	return `${names[0]}, ${names[1]} and ${others} other${others === 1 ? '' : 's'}`;
}

export function decodeBase64(base64: string): Uint8Array {
	const binary = atob(base64);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}

/** The text of one root of a stored version (Yjs V2 state, base64, from trpc.documents.version). */
export function versionText(base64: string, root = 'body'): string {
	const doc = new Y.Doc();
	try {
		Y.applyUpdateV2(doc, decodeBase64(base64));
		return doc.getText(root).toString();
	} finally {
		doc.destroy();
	}
}
