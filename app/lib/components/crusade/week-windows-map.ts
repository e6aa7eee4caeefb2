// Relative imports (not $server): this module is unit-tested outside SvelteKit, like campaigns-graph.ts.
import * as Y from 'yjs';
import { WEEKDAYS, type Weekday } from '../../../../server/crusades/schedule';

export interface Window {
	start: string;
	end: string;
}

export type WeekWindows = Record<Weekday, Window[]>;

/** Any stored shape of `schedule.windows` (Y.Map's JSON, a plain object, nothing) as seven lists. */
export function windowsOf(raw: unknown): WeekWindows {
	const source = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
	return Object.fromEntries(
		WEEKDAYS.map((d) => {
			const list = Array.isArray(source[d]) ? (source[d] as unknown[]) : [];
			return [d, list.map((w) => ({ start: String((w as Window | null)?.start ?? ''), end: String((w as Window | null)?.end ?? '') }))];
		})
	) as WeekWindows;
}

function sameDay(a: readonly Window[], b: readonly Window[]): boolean {
	return a.length === b.length && a.every((w, i) => w.start === b[i]?.start && w.end === b[i]?.end);
}

interface Conversion {
	map: Y.Map<Window[]>;
	/** What the plain value held when this tab converted it. */
	base: WeekWindows;
	/** The map's content after the last change to it, this tab's or a teammate's (it cannot be read once deleted). */
	last: WeekWindows;
	stop: () => void;
}

/**
 * Writes a crusade's sending windows: `schedule.windows` is a Y.Map of weekday → plain list,
 * so two people editing different days both keep their change (a day is small; within one day
 * the last write wins). New crusades get the Y.Map when they are created (server/crusades/
 * document.ts, `initialCrusadeUpdate`), so nothing converts it.
 *
 * Older documents hold a plain object (or nothing) there, which the first edit converts. Two
 * tabs converting at once each put their own Y.Map under the key and Yjs keeps one: the other
 * map, with the day its tab just edited, is deleted. The choice here is to make that safe
 * rather than forbid it: a converting tab remembers the plain value it started from and its
 * map's last content, and when a teammate's map replaces its own (a remote transaction), it
 * carries over each day it changed that the winner still has as it was (a three-way merge per
 * day, so it never overwrites a day the teammate changed; that day is theirs, as with any two
 * writes to one day). The bookkeeping lasts as long as the editor and only ever concerns the
 * one map this tab made.
 */
export class WeekWindowsWriter {
	#converted: Conversion | null = null;
	readonly #stop: () => void;

	constructor(readonly doc: Y.Doc) {
		const schedule = doc.getMap('schedule');
		const onSchedule = (_event: Y.YMapEvent<unknown>, transaction: Y.Transaction) => {
			const entry = this.#converted;
			if (!entry?.map._item?.deleted) return;
			entry.stop();
			this.#converted = null;
			// Deleted by this tab (never happens today) has nothing to carry over.
			if (!transaction.local) queueMicrotask(() => this.#rescue(entry));
		};
		schedule.observe(onSchedule);
		this.#stop = () => schedule.unobserve(onSchedule);
	}

	/** Replaces the given days' windows, in one transaction. */
	set(days: Partial<Record<Weekday, readonly Window[]>>, origin?: unknown): void {
		this.doc.transact(() => {
			const map = this.#map();
			for (const d of WEEKDAYS) {
				const list = days[d];
				if (list) map.set(d, list.map((w) => ({ start: w.start, end: w.end })));
			}
			// Yjs reports no event for a type made in the same transaction: note it here too.
			if (this.#converted?.map === map) this.#converted.last = windowsOf(map.toJSON());
		}, origin);
	}

	destroy(): void {
		this.#stop();
		this.#converted?.stop();
		this.#converted = null;
	}

	#map(): Y.Map<Window[]> {
		const schedule = this.doc.getMap('schedule');
		const current = schedule.get('windows');
		if (current instanceof Y.Map) return current as Y.Map<Window[]>;
		const base = windowsOf(current);
		const map = new Y.Map<Window[]>();
		for (const d of WEEKDAYS) map.set(d, base[d]);
		schedule.set('windows', map);
		const entry: Conversion = { map, base, last: base, stop: () => map.unobserve(observe) };
		const observe = () => (entry.last = windowsOf(map.toJSON()));
		map.observe(observe);
		this.#converted?.stop();
		this.#converted = entry;
		return map;
	}

	/** A teammate's conversion won: this tab's changed days go onto it where the teammate left them as they were. */
	#rescue(entry: Conversion): void {
		const winner = this.doc.getMap('schedule').get('windows');
		// A whole plain value written over it (a script) is a deliberate replacement: it stands.
		if (!(winner instanceof Y.Map)) return;
		const theirs = windowsOf(winner.toJSON());
		const carried = WEEKDAYS.filter((d) => !sameDay(entry.last[d], entry.base[d]) && sameDay(theirs[d], entry.base[d]));
		if (carried.length === 0) return;
		this.doc.transact(() => {
			for (const d of carried) winner.set(d, entry.last[d].map((w) => ({ ...w })));
		});
	}
}
