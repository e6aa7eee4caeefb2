/**
 * How a job follower folds events that reach it twice and out of order: once live over the
 * socket and once from the stored catch-up, which can return after later live events. Each
 * event counts once, the log stays in id order and the newest progress wins.
 */
export interface LogLine {
	id: number;
	/** ISO time the worker stored the line. */
	at: string;
	text: string;
}

export interface JobEvent {
	id: number;
	kind: string;
	data?: unknown;
	createdAt: Date | string;
}

export type Folded<Progress> =
	| { kind: 'duplicate' }
	| { kind: 'progress'; progress: Progress }
	| { kind: 'stale-progress' }
	| { kind: 'log'; lines: LogLine[] }
	| { kind: 'state' }
	| { kind: 'other' };

export class JobEventFolder<Progress> {
	readonly #seen = new Set<number>();
	#progressId = 0;

	constructor(private readonly maxLines: number) {}

	fold(event: JobEvent, lines: readonly LogLine[]): Folded<Progress> {
		if (this.#seen.has(event.id)) return { kind: 'duplicate' };
		this.#seen.add(event.id);
		const data = (event.data ?? {}) as Record<string, unknown>;
		if (event.kind === 'progress') {
			if (event.id < this.#progressId) return { kind: 'stale-progress' };
			this.#progressId = event.id;
			return { kind: 'progress', progress: data as unknown as Progress };
		}
		if (event.kind === 'log') {
			const line = { id: event.id, at: String(event.createdAt), text: String(data.line ?? '') };
			const next = [...lines];
			let at = next.length;
			while (at > 0 && (next[at - 1]?.id ?? 0) > line.id) at--;
			next.splice(at, 0, line);
			return { kind: 'log', lines: next.length > this.maxLines ? next.slice(-this.maxLines) : next };
		}
		return event.kind === 'state' ? { kind: 'state' } : { kind: 'other' };
	}
}
