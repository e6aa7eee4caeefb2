import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyDelta, diffText, mapIndex, rebase, transform, type TextDelta } from '../../app/lib/realtime/text-delta';
import { bindText } from '../../app/lib/realtime/text-binding';

/**
 * Shared text fields of the campaign builder (issue 6): the textarea ⇄ Y.Text binding's pure
 * half (diff, caret mapping, transform), then the binding itself on two Y.Docs with stand-in
 * fields, typing at once and syncing as y-websocket would.
 */

/** A deterministic generator, so a failing case can be replayed. */
function random(seed: number) {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state / 2147483648;
	};
}

const ALPHABET = ['a', 'b', ' ', '{', '}', '|', 'é', '🏡', '\n'];

function randomEdit(next: () => number, text: string): string {
	const from = Math.floor(next() * (text.length + 1));
	const to = Math.min(text.length, from + Math.floor(next() * 4));
	let insert = '';
	for (let i = Math.floor(next() * 4); i > 0; i--) insert += ALPHABET[Math.floor(next() * ALPHABET.length)];
	// Never leave half an emoji: the browser never does.
	const clean = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
	return clean(text.slice(0, from) + insert + text.slice(to));
}

describe('diffText', () => {
	it('finds the one changed range: insert, delete, replace, nothing', () => {
		expect(diffText('Hi there', 'Hi dear there')).toEqual([{ retain: 3 }, { insert: 'dear ' }]);
		expect(diffText('Hi dear there', 'Hi there')).toEqual([{ retain: 3 }, { delete: 5 }]);
		expect(diffText('Hi there', 'Hi where')).toEqual([{ retain: 3 }, { delete: 1 }, { insert: 'w' }]);
		expect(diffText('same', 'same')).toEqual([]);
		expect(diffText('', 'new')).toEqual([{ insert: 'new' }]);
	});

	it('places an ambiguous change where the caret says it was typed', () => {
		// "a" typed after the first "a" of "aaa": the caret is at 2.
		expect(diffText('aaa', 'aaaa', 2)).toEqual([{ retain: 1 }, { insert: 'a' }]);
		expect(diffText('aaa', 'aaaa')).toEqual([{ retain: 3 }, { insert: 'a' }]);
		// Backspace on the second "l" of "hello": the caret lands at 2.
		expect(diffText('hello', 'helo', 2)).toEqual([{ retain: 2 }, { delete: 1 }]);
		expect(diffText('{{a}}{{a}}', '{{a}}{{a}}{{a}}', 5)).toEqual([{ insert: '{{a}}' }]);
	});

	it('never cuts an emoji in half (Yjs would store a lone half as U+FFFD)', () => {
		// 🏡 and 🏠 share their first UTF-16 unit.
		const delta = diffText('Home 🏡!', 'Home 🏠!');
		expect(delta).toEqual([{ retain: 5 }, { delete: 2 }, { insert: '🏠' }]);
		const doc = new Y.Doc();
		const text = doc.getText('t');
		text.insert(0, 'Home 🏡!');
		text.applyDelta(delta);
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
		expect(copy.getText('t').toString()).toBe('Home 🏠!');
	});

	it('always turns the old text into the new one (random edits)', () => {
		const next = random(7);
		let text = 'Hi {{first_name|there}} 🏡';
		for (let i = 0; i < 500; i++) {
			const after = randomEdit(next, text);
			const caret = Math.floor(next() * (after.length + 1));
			expect(applyDelta(text, diffText(text, after, caret))).toBe(after);
			text = after;
		}
	});
});

describe('mapIndex', () => {
	const insertAt3: TextDelta = [{ retain: 3 }, { insert: 'XY' }];
	it('moves a caret after text inserted before it, not after text inserted after it', () => {
		expect(mapIndex(insertAt3, 5)).toBe(7);
		expect(mapIndex(insertAt3, 2)).toBe(2);
	});
	it('keeps a caret before text inserted exactly at it, unless told to stick after', () => {
		expect(mapIndex(insertAt3, 3, 'before')).toBe(3);
		expect(mapIndex(insertAt3, 3, 'after')).toBe(5);
	});
	it('pulls a caret back over deleted text, to the start of a deletion around it', () => {
		const remove: TextDelta = [{ retain: 2 }, { delete: 4 }];
		expect(mapIndex(remove, 10)).toBe(6);
		expect(mapIndex(remove, 4)).toBe(2);
		expect(mapIndex(remove, 1)).toBe(1);
		expect(mapIndex([{ delete: 2 }, { insert: 'abc' }], 5)).toBe(6);
	});
});

describe('transform', () => {
	it('converges: each change over the other gives the same text (random edits)', () => {
		const next = random(11);
		for (let i = 0; i < 500; i++) {
			const base = randomEdit(next, randomEdit(next, 'Reply STOP to opt out'));
			const a = diffText(base, randomEdit(next, base));
			const b = diffText(base, randomEdit(next, base));
			const left = applyDelta(applyDelta(base, a), transform(a, b, true));
			const right = applyDelta(applyDelta(base, b), transform(b, a, false));
			expect(left).toBe(right);
		}
	});

	it('keeps both insertions at one place, in the order asked', () => {
		const a: TextDelta = [{ retain: 2 }, { insert: 'A' }];
		const b: TextDelta = [{ retain: 2 }, { insert: 'B' }];
		expect(applyDelta(applyDelta('xxyy', a), transform(a, b, true))).toBe('xxAByy');
		expect(applyDelta(applyDelta('xxyy', a), transform(a, b, false))).toBe('xxBAyy');
	});

	it('rebases a lost conversion: both people’s typing ends up in the winner', () => {
		const base = 'Hi there, selling?';
		const ours = 'Hi there, still selling?';
		const theirs = 'Hi there, selling? Reply STOP to opt out.';
		expect(applyDelta(theirs, rebase(base, ours, theirs))).toBe('Hi there, still selling? Reply STOP to opt out.');
		expect(rebase(base, base, theirs)).toEqual([]);
		expect(rebase(base, theirs, theirs)).toEqual([]);
	});
});

/** A stand-in for a textarea: value, selection and the events the binding listens to. */
class Field extends EventTarget {
	value = '';
	selectionStart = 0;
	selectionEnd = 0;
	selectionDirection: 'forward' | 'backward' | 'none' = 'none';
	scrollTop = 0;

	setSelectionRange(start: number, end: number, direction: 'forward' | 'backward' | 'none' = 'none') {
		this.selectionStart = start;
		this.selectionEnd = end;
		this.selectionDirection = direction;
	}

	/** What the browser does for a keystroke or a paste: replace the selection, caret after, `input`. */
	type(insert: string, options: { composing?: boolean } = {}) {
		const start = this.selectionStart;
		this.value = this.value.slice(0, start) + insert + this.value.slice(this.selectionEnd);
		this.setSelectionRange(start + insert.length, start + insert.length);
		if (!options.composing) this.dispatchEvent(new Event('input'));
		else {
			this.dispatchEvent(new Event('compositionstart'));
			this.dispatchEvent(new Event('input'));
		}
	}

	key(key: string, modifiers: { ctrlKey?: boolean; shiftKey?: boolean } = {}) {
		const event = Object.assign(new Event('keydown', { cancelable: true }), { key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...modifiers });
		this.dispatchEvent(event);
		return event.defaultPrevented;
	}
}

/** Two people's documents with a link that holds updates until `flush`, like a network in flight. */
function twoPeople(initial: string) {
	const docs = [new Y.Doc(), new Y.Doc()] as const;
	const queues: Uint8Array[][] = [[], []];
	docs[0].getMap('config').set('body', new Y.Text(initial));
	Y.applyUpdate(docs[1], Y.encodeStateAsUpdate(docs[0]), 'remote');
	docs.forEach((doc, i) =>
		doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin !== 'remote') queues[i]!.push(update);
		})
	);
	const people = docs.map((doc) => {
		const origin = { person: doc.clientID };
		const text = doc.getMap('config').get('body') as Y.Text;
		const undo = new Y.UndoManager(doc.getMap('config'), { trackedOrigins: new Set([origin]), captureTimeout: 0 });
		const field = new Field();
		const stop = bindText(field as unknown as HTMLTextAreaElement, text, { origin, undo });
		return { doc, text, field, undo, stop };
	});
	const flush = () => {
		for (const [from, to] of [
			[0, 1],
			[1, 0]
		] as const) {
			for (const update of queues[from]!.splice(0)) Y.applyUpdate(docs[to], update, 'remote');
		}
	};
	return { people: people as [(typeof people)[0], (typeof people)[0]], flush };
}

describe('bindText (two people, one template)', () => {
	it('shows the text at once, and merges two people typing at the same time, keeping both carets', () => {
		const { people, flush } = twoPeople('Hi there, selling?');
		const [ana, ben] = people;
		expect(ana.field.value).toBe('Hi there, selling?');
		ana.field.setSelectionRange(2, 2);
		ben.field.setSelectionRange(18, 18);
		for (const [a, b] of [
			[' A', ' B'],
			['n', 'e'],
			['a', 'n']
		]) {
			ana.field.type(a!);
			ben.field.type(b!);
		}
		// Before any sync each sees only their own words; after, both have both.
		expect(ana.field.value).toBe('Hi Ana there, selling?');
		expect(ben.field.value).toBe('Hi there, selling? Ben');
		flush();
		for (const person of people) {
			expect(person.field.value).toBe('Hi Ana there, selling? Ben');
			expect(person.text.toString()).toBe('Hi Ana there, selling? Ben');
		}
		// Ben's caret moved with his text; Ana's stayed after her word.
		expect(ben.field.selectionStart).toBe(26);
		expect(ana.field.selectionStart).toBe(6);
		ana.field.type('!');
		ben.field.type('.');
		flush();
		expect(ana.field.value).toBe('Hi Ana! there, selling? Ben.');
		expect(ben.field.value).toBe(ana.field.value);
	});

	it('keeps a selection around a teammate’s change, and their text at its edge out of it', () => {
		const { people, flush } = twoPeople('Reply STOP to opt out');
		const [ana, ben] = people;
		ana.field.setSelectionRange(6, 10); // "STOP"
		ben.field.setSelectionRange(0, 0);
		ben.field.type('Please ');
		flush();
		expect(ana.field.value).toBe('Please Reply STOP to opt out');
		expect(ana.field.value.slice(ana.field.selectionStart, ana.field.selectionEnd)).toBe('STOP');
	});

	it('undoes only this person’s typing, from the field’s Ctrl+Z', () => {
		const { people, flush } = twoPeople('Hello');
		const [ana, ben] = people;
		ana.field.setSelectionRange(5, 5);
		ana.field.type(' there');
		flush();
		ben.field.setSelectionRange(0, 0);
		ben.field.type('Oh. ');
		flush();
		expect(ana.field.key('z', { ctrlKey: true })).toBe(true);
		expect(ana.field.value).toBe('Oh. Hello');
		expect(ana.field.selectionStart).toBe(9);
		flush();
		expect(ben.field.value).toBe('Oh. Hello');
		ana.field.key('z', { ctrlKey: true, shiftKey: true });
		flush();
		expect(ben.field.value).toBe('Oh. Hello there');
	});

	it('does not rewrite the field while an input method composes, and merges when it ends', () => {
		const { people, flush } = twoPeople('Hi there');
		const [ana, ben] = people;
		ana.field.setSelectionRange(8, 8);
		ana.field.type(' frie', { composing: true });
		ben.field.setSelectionRange(0, 0);
		ben.field.type('Oh, ');
		flush();
		// Ana's field still shows what her keyboard composes over; the document already merges.
		expect(ana.field.value).toBe('Hi there frie');
		expect(ana.text.toString()).toBe('Oh, Hi there frie');
		ana.field.value = 'Hi there friend';
		ana.field.setSelectionRange(15, 15);
		ana.field.dispatchEvent(new Event('input'));
		ana.field.dispatchEvent(new Event('compositionend'));
		flush();
		expect(ana.field.value).toBe('Oh, Hi there friend');
		expect(ana.field.selectionStart).toBe(19);
		expect(ben.field.value).toBe('Oh, Hi there friend');
	});

	it('stops listening when unbound', () => {
		const { people, flush } = twoPeople('x');
		people[0].stop();
		people[1].field.setSelectionRange(1, 1);
		people[1].field.type('y');
		flush();
		expect(people[0].field.value).toBe('x');
		expect(people[0].text.toString()).toBe('xy');
	});
});
