import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MessageType, SyncType } from '../../realtime/protocol/yjs-messages';
import { syncMessage, wholeStateMessage } from '../../realtime/yjs/messages';

/** The messages as y-protocols writes them: what the stock client expects. */
function reference(write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.Sync);
	write(encoder);
	return encoding.toUint8Array(encoder);
}

function docOf(chars: number): Y.Doc {
	const doc = new Y.Doc();
	const text = doc.getText('body');
	for (let i = 0; i < chars; i += 1_000) text.insert(text.length, 'x'.repeat(Math.min(1_000, chars - i)));
	doc.getMap('meta').set('title', 'brief');
	return doc;
}

describe('sync messages (SPEC D2)', () => {
	it('frames a payload byte for byte as lib0 does', () => {
		for (const size of [0, 1, 127, 128, 70_000]) {
			const payload = new Uint8Array(size).map((_, i) => i % 251);
			expect(syncMessage(SyncType.Update, payload)).toEqual(reference((e) => syncProtocol.writeUpdate(e, payload)));
		}
	});

	it('encodes the whole state the same whatever the size hint', () => {
		for (const chars of [0, 10, 100_000]) {
			const doc = docOf(chars);
			const expected = reference((e) => syncProtocol.writeSyncStep2(e, doc));
			for (const hint of [0, 100, expected.byteLength, expected.byteLength * 3]) {
				expect(Buffer.from(wholeStateMessage(doc, hint))).toEqual(Buffer.from(expected));
			}
		}
	});

	it('includes updates still waiting for missing pieces', () => {
		const source = docOf(10);
		const first = Y.encodeStateAsUpdate(source);
		source.getText('body').insert(0, 'late');
		const second = Y.encodeStateAsUpdate(source, Y.encodeStateVectorFromUpdate(first));
		const doc = new Y.Doc();
		Y.applyUpdate(doc, second);
		expect(doc.store.pendingStructs).not.toBeNull();
		const received = new Y.Doc();
		const message = wholeStateMessage(doc, 10);
		Y.applyUpdate(received, message.subarray(message.byteLength - Y.encodeStateAsUpdate(doc).byteLength));
		Y.applyUpdate(received, first);
		expect(received.getText('body').toString()).toBe(source.getText('body').toString());
	});
});
