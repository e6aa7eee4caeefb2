/**
 * Binds a <textarea> or <input> to a shared Y.Text, so people typing in one field at once
 * merge character by character (Yjs orders their inserts) instead of the last whole string
 * winning. What the browser did is diffed into the smallest change (text-delta.ts); a
 * teammate's change is applied to the field with the caret and selection moved through it;
 * Ctrl/⌘+Z goes to the document's undo manager, which takes back only this person's typing.
 *
 * While an input method composes (phone keyboards compose every word, and CJK input), the
 * field is not rewritten, since rewriting ends the composition: teammates' changes wait in
 * `pending` and the person's own input is transformed over them, then all show at once.
 */
import type { Attachment } from 'svelte/attachments';
import type * as Y from 'yjs';
import { diffText, mapIndex, transform, type TextDelta, type TextOp } from './text-delta';

export interface TextBindingOptions {
	/** The origin of this person's transactions: the one the undo manager tracks. */
	origin: object;
	undo: Y.UndoManager;
}

type Field = HTMLTextAreaElement | HTMLInputElement;

/** A Y.Text event's delta as plain text ops (embeds and formatting never occur in these fields). */
function plainDelta(delta: readonly { insert?: unknown; retain?: number; delete?: number }[]): TextDelta {
	const ops: TextOp[] = [];
	for (const op of delta) {
		if (typeof op.retain === 'number') ops.push({ retain: op.retain });
		else if (typeof op.delete === 'number') ops.push({ delete: op.delete });
		else if (typeof op.insert === 'string') ops.push({ insert: op.insert });
	}
	return ops;
}

/** Where an undone or redone change happened: the caret goes there, as in any editor. */
function changeEnd(delta: TextDelta): number {
	let index = 0;
	let end = 0;
	for (const op of delta) {
		if ('retain' in op) index += op.retain;
		else if ('insert' in op) end = index += op.insert.length;
		else end = index;
	}
	return end;
}

export function bindText(field: Field, text: Y.Text, { origin, undo }: TextBindingOptions): () => void {
	const doc = text.doc;
	if (!doc) return () => {};
	/** What the field showed the last time it and the Y.Text agreed, up to `pending`. */
	let shown = field.value;
	/** Teammates' changes the field does not show yet (only while composing), oldest first. */
	let pending: TextDelta[] = [];
	let composing = false;
	/** Set while this binding writes, so its own change is not applied to the field again. */
	let writing = false;

	const local = () => {
		const value = field.value;
		if (value === shown) return;
		let change = diffText(shown, value, field.selectionEnd ?? undefined);
		// Over teammates' changes the field has not shown yet: each way round, as OT does.
		pending = pending.map((theirs) => {
			const mine = change;
			change = transform(theirs, mine, true);
			return transform(mine, theirs, false);
		});
		shown = value;
		if (change.length === 0) return;
		writing = true;
		try {
			doc.transact(() => text.applyDelta(change), origin);
		} finally {
			writing = false;
		}
	};

	const show = (undone: TextDelta | null) => {
		if (field.value !== shown) local();
		const value = text.toString();
		const changes = pending;
		pending = [];
		if (value === field.value) {
			shown = value;
			return;
		}
		let start = field.selectionStart ?? 0;
		let end = field.selectionEnd ?? start;
		const direction = field.selectionDirection ?? 'none';
		for (const delta of changes) {
			if (start === end) start = end = mapIndex(delta, start, 'before');
			else {
				start = mapIndex(delta, start, 'after');
				end = Math.max(start, mapIndex(delta, end, 'before'));
			}
		}
		if (undone) start = end = changeEnd(undone);
		const scroll = field.scrollTop;
		field.value = value;
		shown = value;
		// Also when not focused: setting the value moved the selection to the end, and the
		// merge-field menu (focus on its button) inserts where the selection was.
		field.setSelectionRange(start, end, direction);
		field.scrollTop = scroll;
	};

	const observer = (event: Y.YTextEvent, transaction: Y.Transaction) => {
		if (writing) return;
		const delta = plainDelta(event.delta as { insert?: unknown; retain?: number; delete?: number }[]);
		pending.push(delta);
		if (!composing) show(transaction.origin === undo ? delta : null);
	};

	const history = (redo: boolean) => {
		if (field.value !== shown) local();
		undo.stopCapturing();
		if (redo) undo.redo();
		else undo.undo();
	};

	const onkeydown = (event: KeyboardEvent) => {
		if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
		const key = event.key.toLowerCase();
		if (key !== 'z' && !(key === 'y' && event.ctrlKey)) return;
		// The field's own undo knows nothing of teammates; the document's takes back only ours.
		event.preventDefault();
		history(key === 'y' || event.shiftKey);
	};
	const onbeforeinput = (event: InputEvent) => {
		if (event.inputType !== 'historyUndo' && event.inputType !== 'historyRedo') return;
		event.preventDefault();
		history(event.inputType === 'historyRedo');
	};
	const oncompositionstart = () => {
		composing = true;
	};
	const oncompositionend = () => {
		composing = false;
		local();
		if (pending.length) show(null);
	};
	// A new typing session (this field, or back to it) is its own undo step.
	const onfocus = () => undo.stopCapturing();

	// The field may show older text (a plain string converted a moment ago, a replaced Y.Text).
	pending.push(diffText(field.value, text.toString()));
	show(null);
	text.observe(observer);
	const listeners = [
		['input', local],
		['keydown', onkeydown],
		['beforeinput', onbeforeinput],
		['compositionstart', oncompositionstart],
		['compositionend', oncompositionend],
		['focus', onfocus]
	] as const;
	for (const [type, listener] of listeners) field.addEventListener(type, listener as EventListener);
	return () => {
		text.unobserve(observer);
		for (const [type, listener] of listeners) field.removeEventListener(type, listener as EventListener);
	};
}

/** The field's attachment while the document has a Y.Text for it. */
export function boundText(text: Y.Text, options: TextBindingOptions): Attachment<Field> {
	return (field) => bindText(field, text, options);
}

/**
 * The field's attachment while it holds a plain string: an older document (until the first
 * edit converts it) or a field inside a list, which is stored whole. Re-made when the string
 * changes; the field is only written when it differs, so typing here keeps its caret.
 */
export function plainText(value: string): Attachment<Field> {
	return (field) => {
		if (field.value !== value) field.value = value;
	};
}
