import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { MessageType, SyncType } from '../protocol/yjs-messages';

/**
 * A sync message in one exactly-sized buffer. A lib0 encoder grows by doubling and joins its
 * pieces at the end: for a 1 MB payload that leaves ~3 MB of garbage per message.
 */
export function syncMessage(type: number, payload: Uint8Array): Uint8Array {
	const head = syncHead(type, payload.byteLength);
	const message = new Uint8Array(head.byteLength + payload.byteLength);
	message.set(head, 0);
	message.set(payload, head.byteLength);
	return message;
}

export function awarenessMessage(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.Awareness);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

function syncHead(type: number, length: number): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.Sync);
	encoding.writeVarUint(encoder, type);
	encoding.writeVarUint(encoder, length);
	return encoding.toUint8Array(encoder);
}

/** Room kept in front of the update for the message head (two one-byte types, a varUint length). */
const HEADROOM = 8;

/**
 * An update encoder that writes into one buffer sized up front, leaving room for the sync
 * head in front, so the finished step 2 is a view of that buffer: no doubling, no copy.
 * (`Y.encodeStateAsUpdate` of a 1 MB document otherwise allocates ~5 MB on the way.)
 */
class WholeStateEncoder extends Y.UpdateEncoderV1 {
	constructor(capacity: number) {
		super();
		this.restEncoder.cbuf = new Uint8Array(HEADROOM + capacity);
		this.restEncoder.cpos = HEADROOM;
	}

	override toUint8Array(): Uint8Array<ArrayBuffer> {
		const rest = this.restEncoder;
		if (rest.bufs.length > 0) {
			// Outgrew the estimate: the encoder went on in new buffers; join them the usual way.
			return syncMessage(SyncType.Step2, encoding.toUint8Array(rest).subarray(HEADROOM)) as Uint8Array<ArrayBuffer>;
		}
		const head = syncHead(SyncType.Step2, rest.cpos - HEADROOM);
		const start = HEADROOM - head.byteLength;
		rest.cbuf.set(head, start);
		return rest.cbuf.subarray(start, rest.cpos);
	}
}

/**
 * Sync step 2 carrying the whole document, for a client that has nothing. `sizeHint` is the
 * expected size of the update (the last one, or the stored state's); a good hint makes the
 * encoding allocate the message once, with a little slack.
 */
export function wholeStateMessage(doc: Y.Doc, sizeHint: number): Uint8Array {
	// Updates waiting in the document for missing pieces are merged in by Yjs only through its
	// own encoder classes, so a document holding some takes the ordinary path.
	if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) return syncMessage(SyncType.Step2, Y.encodeStateAsUpdate(doc));
	const capacity = Math.ceil(sizeHint * 1.1) + 4096;
	return Y.encodeStateAsUpdateV2(doc, undefined, new WholeStateEncoder(capacity));
}

/** How long the shared whole-state step 2 outlives its last use: it is as big as the document. */
const WHOLE_STATE_TTL_MS = 10_000;

/**
 * The whole-document step 2 shared by every client that joins with nothing: many join at
 * once when a busy document opens, and one copy serves them all (bench:realtime scenario 4).
 * The owner drops it whenever the document changes; it also goes after a while unused.
 */
export class WholeState {
	#message: Uint8Array | null = null;
	#timer: NodeJS.Timeout | null = null;
	/** Expected size of the update, so encoding it allocates once. */
	#bytes = 0;

	constructor(private readonly doc: Y.Doc) {}

	/** Hints the size (e.g. the stored state's) before the first encoding. */
	expect(bytes: number): void {
		this.#bytes = bytes;
	}

	message(): Uint8Array {
		if (!this.#message) {
			this.#message = wholeStateMessage(this.doc, this.#bytes);
			this.#bytes = this.#message.byteLength;
		}
		if (this.#timer) this.#timer.refresh();
		else {
			this.#timer = setTimeout(() => this.drop(), WHOLE_STATE_TTL_MS);
			this.#timer.unref();
		}
		return this.#message;
	}

	drop(): void {
		this.#message = null;
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
	}
}
