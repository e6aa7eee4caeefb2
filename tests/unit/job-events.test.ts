import { describe, expect, it } from 'vitest';
import { JobEventFolder, type JobEvent, type LogLine } from '../../app/lib/realtime/job-events';

const at = '2026-11-21T14:00:00.000Z';
const log = (id: number, line: string): JobEvent => ({ id, kind: 'log', data: { line }, createdAt: at });
const progress = (id: number, done: number): JobEvent => ({ id, kind: 'progress', data: { done }, createdAt: at });

function foldAll(folder: JobEventFolder<{ done: number }>, events: JobEvent[]) {
	let lines: LogLine[] = [];
	let latest: { done: number } | null = null;
	for (const event of events) {
		const folded = folder.fold(event, lines);
		if (folded.kind === 'log') lines = folded.lines;
		if (folded.kind === 'progress') latest = folded.progress;
	}
	return { text: lines.map((l) => l.text), latest };
}

describe('job event folding', () => {
	it('keeps stored lines that arrive after a later live line (the catch-up race)', () => {
		// Live event 12 lands first, then the catch-up returns 10..12.
		const { text } = foldAll(new JobEventFolder(500), [log(12, 'done'), log(10, '5 leads in the audience'), log(11, '3 blocked'), log(12, 'done')]);
		expect(text).toEqual(['5 leads in the audience', '3 blocked', 'done']);
	});

	it('counts each event once and lets the newest progress win', () => {
		const { text, latest } = foldAll(new JobEventFolder(500), [progress(7, 70), log(3, 'a'), progress(5, 50), log(3, 'a')]);
		expect(text).toEqual(['a']);
		expect(latest).toEqual({ done: 70 });
	});

	it('keeps only the newest lines past the limit', () => {
		const events = Array.from({ length: 5 }, (_, i) => log(i + 1, `line ${i + 1}`));
		expect(foldAll(new JobEventFolder(3), events).text).toEqual(['line 3', 'line 4', 'line 5']);
	});
});
