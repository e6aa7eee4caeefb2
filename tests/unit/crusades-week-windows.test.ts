import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { WeekWindowsWriter, windowsOf } from '../../app/lib/components/crusade/week-windows-map';
import { initialCrusadeUpdate } from '../../server/crusades/document';

/**
 * A crusade's weekday windows (issue 6): two editors' first edits at once must both land.
 * Two Y.Docs stand in for two tabs, exchanging updates as y-websocket would, in either order.
 */

const NINE_TO_FIVE = [{ start: '09:00', end: '17:00' }];
const EVENINGS = [{ start: '18:00', end: '20:00' }];

function tab(clientID: number, start: (doc: Y.Doc) => void) {
	const doc = new Y.Doc();
	doc.clientID = clientID;
	start(doc);
	return { doc, writer: new WeekWindowsWriter(doc) };
}

function send(from: Y.Doc, to: Y.Doc): void {
	Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

/** Both ways, then again after any carried-over change (queued as a microtask) has been made. */
async function sync(a: Y.Doc, b: Y.Doc): Promise<void> {
	send(a, b);
	send(b, a);
	await new Promise((resolve) => setTimeout(resolve, 0));
	send(a, b);
	send(b, a);
}

const windows = (doc: Y.Doc) => windowsOf(doc.getMap('schedule').toJSON().windows);

/** A document as written before this change: the windows one plain object (or none). */
function legacy(plain: Record<string, unknown> | undefined) {
	const origin = new Y.Doc();
	origin.clientID = 99;
	origin.getMap('schedule').set('startsAt', '2026-12-01T09:00:00-05:00');
	if (plain) origin.getMap('schedule').set('windows', plain);
	return (doc: Y.Doc) => Y.applyUpdate(doc, Y.encodeStateAsUpdate(origin));
}

describe('weekday windows', () => {
	it('a new crusade starts with the days map, so first edits on different days merge without converting anything', async () => {
		const stored = initialCrusadeUpdate();
		const seed = (doc: Y.Doc) => Y.applyUpdateV2(doc, stored);
		const a = tab(1, seed);
		const b = tab(2, seed);
		const before = a.doc.getMap('schedule').get('windows');
		expect(before).toBeInstanceOf(Y.Map);
		a.writer.set({ mon: NINE_TO_FIVE });
		b.writer.set({ tue: EVENINGS });
		expect(a.doc.getMap('schedule').get('windows')).toBe(before);
		await sync(a.doc, b.doc);
		expect(windows(a.doc)).toMatchObject({ mon: NINE_TO_FIVE, tue: EVENINGS, wed: [] });
		expect(windows(b.doc)).toEqual(windows(a.doc));
	});

	it.each([
		['the first tab', 1, 2],
		['the second tab', 2, 1]
	])('an older document converted by two tabs at once keeps both first edits, whichever conversion wins (%s)', async (_label, first, second) => {
		const start = legacy({ mon: NINE_TO_FIVE, fri: NINE_TO_FIVE });
		const a = tab(first, start);
		const b = tab(second, start);
		a.writer.set({ wed: EVENINGS });
		b.writer.set({ sat: NINE_TO_FIVE });
		await sync(a.doc, b.doc);
		const expected = { sun: [], mon: NINE_TO_FIVE, tue: [], wed: EVENINGS, thu: [], fri: NINE_TO_FIVE, sat: NINE_TO_FIVE };
		expect(windows(a.doc)).toEqual(expected);
		expect(windows(b.doc)).toEqual(expected);
		expect(a.doc.getMap('schedule').get('windows')).toBeInstanceOf(Y.Map);
	});

	it('a document with no windows at all converts the same way; one tab editing several days keeps them all', async () => {
		const start = legacy(undefined);
		const a = tab(1, start);
		const b = tab(2, start);
		b.writer.set({ mon: EVENINGS, tue: EVENINGS });
		a.writer.set({ thu: NINE_TO_FIVE });
		await sync(a.doc, b.doc);
		expect(windows(a.doc)).toMatchObject({ mon: EVENINGS, tue: EVENINGS, thu: NINE_TO_FIVE });
		expect(windows(b.doc)).toEqual(windows(a.doc));
	});

	it('the same day changed by both at once: one of the two stands whole (no mixture), and both tabs agree', async () => {
		const start = legacy({ mon: NINE_TO_FIVE });
		const a = tab(1, start);
		const b = tab(2, start);
		a.writer.set({ mon: EVENINGS });
		b.writer.set({ mon: [] });
		await sync(a.doc, b.doc);
		expect([EVENINGS, []]).toContainEqual(windows(a.doc).mon);
		expect(windows(b.doc)).toEqual(windows(a.doc));
	});

	it('a later edit after syncing writes into the shared map, and a script replacing the windows whole is not undone', async () => {
		const start = legacy({ mon: NINE_TO_FIVE });
		const a = tab(1, start);
		const b = tab(2, start);
		a.writer.set({ tue: EVENINGS });
		await sync(a.doc, b.doc);
		b.writer.set({ wed: EVENINGS });
		await sync(a.doc, b.doc);
		expect(windows(a.doc)).toMatchObject({ mon: NINE_TO_FIVE, tue: EVENINGS, wed: EVENINGS });
		b.doc.getMap('schedule').set('windows', { fri: NINE_TO_FIVE });
		await sync(a.doc, b.doc);
		expect(windows(a.doc)).toMatchObject({ mon: [], tue: [], wed: [], fri: NINE_TO_FIVE });
		a.writer.destroy();
		b.writer.destroy();
	});
});
