import type { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** What instances tell each other about a document. */
export const BusType = {
	/** A document update (V1), as applied by the sender. */
	Update: 0,
	/** An awareness update. */
	Awareness: 1,
	/** "Send me what I lack": payload is the sender's state vector; `to` narrows it to one instance. */
	SyncRequest: 2,
	/** The answer to a SyncRequest: an update (V1) for the `to` instance. */
	SyncReply: 3
} as const;
export type BusType = (typeof BusType)[keyof typeof BusType];

export interface BusMessage {
	from: string;
	type: BusType;
	payload: Uint8Array;
	/** Instance the message is meant for; empty for everyone. */
	to: string;
}

export function encodeBusMessage(message: BusMessage): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarString(encoder, message.from);
	encoding.writeVarUint(encoder, message.type);
	encoding.writeVarString(encoder, message.to);
	encoding.writeVarUint8Array(encoder, message.payload);
	return encoding.toUint8Array(encoder);
}

export function decodeBusMessage(data: Uint8Array): BusMessage {
	const decoder = decoding.createDecoder(data);
	const from = decoding.readVarString(decoder);
	const type = decoding.readVarUint(decoder) as BusType;
	const to = decoding.readVarString(decoder);
	const payload = decoding.readVarUint8Array(decoder);
	return { from, type, to, payload };
}

type Listener = (message: BusMessage) => void;

/**
 * Cross-instance fan-out of document updates and awareness over Redis pub/sub, one channel
 * per loaded document. Pub/sub keeps each publisher's order, which is all Yjs needs (updates
 * commute; missing dependencies wait in the document until they arrive).
 */
export class DocumentBus {
	readonly #listeners = new Map<string, Listener>();
	#onResubscribe: (() => void) | null = null;

	constructor(
		private readonly pub: Redis,
		private readonly sub: Redis,
		private readonly prefix: string,
		readonly instance: string,
		private readonly onError: (error: unknown) => void
	) {
		sub.on('messageBuffer', (channel: Buffer, data: Buffer) => {
			const name = channel.toString().slice(this.prefix.length);
			const listener = this.#listeners.get(name);
			if (!listener) return;
			let message: BusMessage;
			try {
				message = decodeBusMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
			} catch (error) {
				this.onError(error);
				return;
			}
			if (message.from === this.instance || (message.to !== '' && message.to !== this.instance)) return;
			listener(message);
		});
		// After Redis comes back (ioredis re-subscribes by itself) messages may have been
		// missed; the hub re-syncs every loaded document with the other instances.
		let connectedBefore = false;
		sub.on('ready', () => {
			if (connectedBefore) this.#onResubscribe?.();
			connectedBefore = true;
		});
	}

	onResubscribe(callback: () => void): void {
		this.#onResubscribe = callback;
	}

	async subscribe(docName: string, listener: Listener): Promise<void> {
		this.#listeners.set(docName, listener);
		await this.sub.subscribe(this.prefix + docName);
	}

	async unsubscribe(docName: string): Promise<void> {
		this.#listeners.delete(docName);
		await this.sub.unsubscribe(this.prefix + docName);
	}

	publish(docName: string, type: BusType, payload: Uint8Array, to = ''): void {
		const data = encodeBusMessage({ from: this.instance, type, payload, to });
		this.pub.publish(this.prefix + docName, Buffer.from(data.buffer, data.byteOffset, data.byteLength)).catch(this.onError);
	}
}
