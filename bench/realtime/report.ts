import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fmt, fmtRatio, ratio } from './stats';

/** One line of the results table: a metric for Muster and the baseline, their ratio, a target. */
export interface Row {
	metric: string;
	muster: number | null;
	baseline: number | null;
	/** Show Muster ÷ baseline. */
	compare?: boolean;
	digits?: number;
	target?: string;
	/** Whether Muster met the target; undefined when the row has none. */
	ok?: boolean;
}

export interface ScenarioReport {
	id: number;
	title: string;
	rows: Row[];
	notes: string[];
	raw: Record<string, unknown>;
}

function cells(row: Row): string[] {
	const digits = row.digits ?? 1;
	const r = row.compare ? fmtRatio(ratio(row.muster, row.baseline)) : '';
	const verdict = row.ok === undefined ? '' : row.ok ? 'met' : 'MISSED';
	return [row.metric, fmt(row.muster, digits), fmt(row.baseline, digits), r, row.target ?? '', verdict];
}

export function table(reports: ScenarioReport[]): string {
	const header = ['metric', 'Muster', 'baseline', 'ratio', 'target', ''];
	const lines: string[][] = [];
	const sections: { title: string; start: number; notes: string[] }[] = [];
	for (const report of reports) {
		sections.push({ title: `${report.id}. ${report.title}`, start: lines.length, notes: report.notes });
		lines.push(...report.rows.map(cells));
	}
	const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
	const render = (l: string[]) => l.map((c, i) => (i === 0 || i >= 4 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
	const rule = '-'.repeat(widths.reduce((a, b) => a + b + 2, 0));
	const out: string[] = [render(header), rule];
	sections.forEach((section, s) => {
		const end = sections[s + 1]?.start ?? lines.length;
		out.push(section.title);
		for (let i = section.start; i < end; i++) out.push(render(lines[i] ?? []));
		section.notes.forEach((n) => out.push(`  note: ${n}`));
		out.push(rule);
	});
	return out.join('\n');
}

export function writeResults(dir: string, body: unknown): string {
	mkdirSync(dir, { recursive: true });
	const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
	const file = path.join(dir, `realtime-${stamp}.json`);
	writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
	return file;
}
