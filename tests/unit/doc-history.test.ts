import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { personColours } from '../../app/lib/avatar';
import { clockTime, peopleList, reasonLabel, relativeTime, versionText } from '../../app/lib/doc-history';

describe('document history words', () => {
	it('names every version reason in words', () => {
		expect(reasonLabel('activity')).toBe('Auto-saved while editing');
		expect(reasonLabel('compaction')).toBe('Compacted');
		expect(reasonLabel('restore')).toBe('Before restore');
		expect(reasonLabel('shutdown')).toBe('Saved at server shutdown');
		expect(reasonLabel('something-new')).toBe('Saved');
	});

	it('says how long ago, from ISO strings as tRPC sends them', () => {
		const now = new Date('2025-06-10T12:00:00Z');
		expect(relativeTime('2025-06-10T11:59:40Z', now, 'en')).toBe('just now');
		expect(relativeTime('2025-06-10T11:57:00Z', now, 'en')).toBe('3 minutes ago');
		expect(relativeTime(new Date('2025-06-10T09:00:00Z'), now, 'en')).toBe('3 hours ago');
		expect(relativeTime('2025-06-09T12:00:00Z', now, 'en')).toBe('yesterday');
		expect(relativeTime('2025-05-20T12:00:00Z', now, 'en')).toBe('3 weeks ago');
	});

	it('gives the clock time today, and the day too otherwise', () => {
		const now = new Date(2025, 5, 10, 15, 0);
		expect(clockTime(new Date(2025, 5, 10, 9, 7), now, 'en-US')).toBe('9:07 AM');
		expect(clockTime(new Date(2025, 5, 9, 9, 7).toISOString(), now, 'en-US')).toBe('Jun 9, 9:07 AM');
	});

	it('lists people briefly', () => {
		expect(peopleList([])).toBe('No one');
		expect(peopleList(['Ada'])).toBe('Ada');
		expect(peopleList(['Ada', 'Grace'])).toBe('Ada and Grace');
		expect(peopleList(['Ada', 'Grace', 'Alan'])).toBe('Ada, Grace and 1 other');
		expect(peopleList(['Ada', 'Grace', 'Alan', 'Edsger'])).toBe('Ada, Grace and 2 others');
	});

	it('reads the body of a stored version (Yjs V2, base64)', () => {
		const doc = new Y.Doc();
		doc.getText('body').insert(0, '# Brief\n\nHello — ünïcode ✓');
		const base64 = Buffer.from(Y.encodeStateAsUpdateV2(doc)).toString('base64');
		expect(versionText(base64)).toBe('# Brief\n\nHello — ünïcode ✓');
		expect(versionText(Buffer.from(Y.encodeStateAsUpdateV2(new Y.Doc())).toString('base64'))).toBe('');
	});

	it('gives each person stable cursor colours from their avatar hue', () => {
		const a = personColours('6f1c1d2e-0000-4000-8000-000000000001');
		expect(personColours('6f1c1d2e-0000-4000-8000-000000000001')).toEqual(a);
		expect(a.color).toMatch(/^hsl\(\d+ 70% 40%\)$/);
		expect(a.colorLight).toMatch(/^hsl\(\d+ 80% 55% \/ 0\.28\)$/);
	});
});
