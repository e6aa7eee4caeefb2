/**
 * The pure half of binding a textarea to a shared Y.Text: turn what the browser did to the
 * field (old value → new value) into the smallest change, move a caret through a teammate's
 * change, and transform one change over another. Changes are Yjs/Quill deltas without
 * formatting (`retain`, `insert`, `delete`), so `Y.Text.applyDelta` and a Y.Text event's
 * `delta` speak the same format. No DOM and no Yjs here: unit-tested in tests/unit.
 */

export type TextOp = { retain: number } | { insert: string } | { delete: number };
export type TextDelta = TextOp[];

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** True when index sits between the two halves of one emoji (or other astral character). */
function splitsPair(text: string, index: number): boolean {
	return index > 0 && index < text.length && isHigh(text.charCodeAt(index - 1)) && isLow(text.charCodeAt(index));
}

function opLength(op: TextOp): number {
	return 'insert' in op ? op.insert.length : 'retain' in op ? op.retain : op.delete;
}

/**
 * The change from `before` to `after` as one replaced range. Where the answer is ambiguous
 * (typing "a" into "aaa"), `caret` — where the browser put the caret after the edit — picks
 * the range that ends there, so the Yjs items typed are the ones the person typed next to.
 * Never cuts a surrogate pair: Yjs would store a lone half as U+FFFD.
 */
export function diffText(before: string, after: string, caret?: number): TextDelta {
	if (before === after) return [];
	const shorter = Math.min(before.length, after.length);
	let prefix = 0;
	while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
	let suffix = 0;
	while (suffix < shorter - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
	if (caret !== undefined) {
		// Inside a run of equal text the range can slide left; slide it until it ends at the caret.
		const want = after.length - suffix - caret;
		let slide = 0;
		while (
			slide < want &&
			slide < prefix &&
			before.charCodeAt(prefix - 1 - slide) === before.charCodeAt(before.length - suffix - 1 - slide) &&
			after.charCodeAt(prefix - 1 - slide) === after.charCodeAt(after.length - suffix - 1 - slide)
		)
			slide++;
		prefix -= slide;
		suffix += slide;
	}
	if (splitsPair(before, prefix) || splitsPair(after, prefix)) prefix--;
	if (splitsPair(before, before.length - suffix) || splitsPair(after, after.length - suffix)) suffix--;
	const removed = before.length - prefix - suffix;
	const inserted = after.slice(prefix, after.length - suffix);
	const delta: TextDelta = [];
	if (prefix > 0) delta.push({ retain: prefix });
	if (removed > 0) delta.push({ delete: removed });
	if (inserted) delta.push({ insert: inserted });
	return delta;
}

/** The text with the delta applied (what Y.Text.applyDelta does to its content). */
export function applyDelta(text: string, delta: TextDelta): string {
	let index = 0;
	let result = '';
	for (const op of delta) {
		if ('retain' in op) {
			result += text.slice(index, index + op.retain);
			index += op.retain;
		} else if ('delete' in op) index += op.delete;
		else result += op.insert;
	}
	return result + text.slice(index);
}

/**
 * Where `index` ends up once `delta` is applied. Text inserted exactly at the index goes
 * after it with `stick: 'before'` (a caret stays where its owner was typing) and before it
 * with `stick: 'after'` (a selection's start, so a teammate's text at its edge stays out).
 */
export function mapIndex(delta: TextDelta, index: number, stick: 'before' | 'after' = 'before'): number {
	let offset = 0;
	let mapped = index;
	for (const op of delta) {
		if (offset > index || (offset === index && stick === 'before' && 'insert' in op)) break;
		if ('delete' in op) {
			mapped -= Math.min(op.delete, index - offset);
			if (offset + op.delete > index) break;
			// A delete consumes old text: `offset` counts old text, so it moves on.
			offset += op.delete;
			continue;
		}
		if ('insert' in op) {
			mapped += op.insert.length;
			continue;
		}
		offset += op.retain;
	}
	return mapped;
}

/** Walks a delta op by op, splitting ops to a requested length; past the end it retains for ever. */
class OpCursor {
	#index = 0;
	#offset = 0;
	constructor(private readonly ops: TextDelta) {}

	peek(): 'insert' | 'delete' | 'retain' {
		const op = this.ops[this.#index];
		return !op ? 'retain' : 'insert' in op ? 'insert' : 'delete' in op ? 'delete' : 'retain';
	}

	peekLength(): number {
		const op = this.ops[this.#index];
		return op ? opLength(op) - this.#offset : Infinity;
	}

	more(): boolean {
		return this.#index < this.ops.length;
	}

	next(length = Infinity): TextOp {
		const op = this.ops[this.#index];
		if (!op) return { retain: Infinity };
		const offset = this.#offset;
		const take = Math.min(length, opLength(op) - offset);
		if (offset + take >= opLength(op)) {
			this.#index++;
			this.#offset = 0;
		} else this.#offset += take;
		if ('insert' in op) return { insert: op.insert.slice(offset, offset + take) };
		return 'delete' in op ? { delete: take } : { retain: take };
	}
}

/** Appends an op, merging it into the last one of the same kind; drops empty ops. */
function push(delta: TextDelta, op: TextOp): void {
	if (opLength(op) === 0) return;
	const last = delta.at(-1);
	if (last && 'retain' in last && 'retain' in op) last.retain += op.retain;
	else if (last && 'delete' in last && 'delete' in op) last.delete += op.delete;
	else if (last && 'insert' in last && 'insert' in op) last.insert += op.insert;
	else delta.push(op);
}

/**
 * `change` rewritten to apply after `applied` (both were made against the same text): the
 * classic operational transform of two edits. When both insert at one place, `appliedFirst`
 * says whose text comes first. Text `applied` already deleted is not deleted again.
 */
export function transform(applied: TextDelta, change: TextDelta, appliedFirst: boolean): TextDelta {
	const mine = new OpCursor(applied);
	const theirs = new OpCursor(change);
	const result: TextDelta = [];
	while (mine.more() || theirs.more()) {
		if (mine.peek() === 'insert' && (appliedFirst || theirs.peek() !== 'insert')) {
			push(result, { retain: opLength(mine.next()) });
		} else if (theirs.peek() === 'insert') {
			push(result, theirs.next());
		} else {
			const length = Math.min(mine.peekLength(), theirs.peekLength());
			const a = mine.next(length);
			const b = theirs.next(length);
			if ('delete' in a) continue;
			push(result, 'delete' in b ? b : { retain: length });
		}
	}
	while (result.length && 'retain' in result.at(-1)!) result.pop();
	return result;
}

/**
 * What to apply to `theirs` so it also holds the change `ours` made: both began as `base`
 * (the same plain string turned into two Y.Texts at once, see campaign-doc.svelte.ts). Each
 * side's change is read as one range, so edits far apart both survive.
 */
export function rebase(base: string, ours: string, theirs: string): TextDelta {
	if (ours === base || ours === theirs) return [];
	return transform(diffText(base, theirs), diffText(base, ours), true);
}
