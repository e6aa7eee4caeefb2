import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Outbox, type Outgoing } from '../../realtime/yjs/outbox';

const FOREIGN = Symbol('bus');

function edits(count: number): Uint8Array[] {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	for (let i = 0; i < count; i++) doc.getText('body').insert(i, 'x');
	return updates;
}

describe('relaying updates once per turn (SPEC M1)', () => {
	it('merges a turn into one message, tells who sent it, and keeps foreign updates off the bus', async () => {
		const sent: Outgoing[] = [];
		const outbox = new Outbox((o) => sent.push(o), (origin) => origin !== FOREIGN);
		const [a, b, c] = edits(3) as [Uint8Array, Uint8Array, Uint8Array];
		outbox.add(a, 'alice');
		outbox.add(b, 'alice');
		expect(sent).toHaveLength(0);
		await new Promise((r) => setImmediate(r));
		expect(sent).toHaveLength(1);
		expect(sent[0]?.origin).toBe('alice');
		expect(sent[0]?.local).toBe(sent[0]?.update);

		outbox.add(c, FOREIGN);
		outbox.add(a, 'bob');
		outbox.flush();
		const mixed = sent[1];
		expect(mixed?.origin).toBeNull();
		const doc = new Y.Doc();
		Y.applyUpdate(doc, mixed!.update);
		expect(doc.getText('body').length).toBe(1);
		expect(mixed?.local).toEqual(a);
	});

	it('splits a large turn into bounded merges that together hold every update', () => {
		const sent: Outgoing[] = [];
		const outbox = new Outbox((o) => sent.push(o), () => true);
		for (const u of edits(120)) outbox.add(u, 'alice');
		outbox.flush();
		expect(sent).toHaveLength(3);
		const doc = new Y.Doc();
		sent.forEach((o) => Y.applyUpdate(doc, o.update));
		expect(doc.getText('body').toString()).toBe('x'.repeat(120));
	});
});
