import { headerToken } from '../normalize';

/** Finds columns by their header token (see `headerToken`), remembering which ones a parser used. */
export class Columns {
	readonly tokens: string[];
	readonly used = new Set<number>();

	constructor(readonly headers: string[]) {
		this.tokens = headers.map(headerToken);
	}

	/** The first column whose token is one of `names` (in the order given). */
	find(...names: string[]): number | undefined {
		for (const name of names) {
			const i = this.tokens.indexOf(name);
			if (i >= 0) {
				this.used.add(i);
				return i;
			}
		}
		return undefined;
	}

	/** Columns whose token matches, with the regex's first group as a number (e.g. phone 1…N), sorted by it. */
	numbered(pattern: RegExp): { n: number; index: number; token: string }[] {
		const out: { n: number; index: number; token: string }[] = [];
		this.tokens.forEach((token, index) => {
			const m = pattern.exec(token);
			if (m) out.push({ n: Number(m[1] ?? 1) || 1, index, token });
		});
		return out.sort((a, b) => a.n - b.n || a.index - b.index);
	}

	has(pattern: RegExp): boolean {
		return this.tokens.some((t) => pattern.test(t));
	}

	/** Every column no parser rule claimed: its non-empty cells go to `attributes` under the header. */
	rest(): number[] {
		return this.headers.map((_, i) => i).filter((i) => !this.used.has(i) && this.headers[i] !== '');
	}
}

export function restAttributes(columns: Columns, rest: number[], row: string[], into: Record<string, string>): Record<string, string> {
	for (const i of rest) {
		const v = row[i]?.trim();
		if (v) into[columns.headers[i] ?? `column ${i + 1}`] = v;
	}
	return into;
}
