import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType, type DocAccess } from '../protocol/yjs-messages';

/**
 * What the engine needs from a network connection. The `ws` door adapts a WebSocket to it;
 * tests and other transports can supply their own (the core never sees a socket).
 */
export interface Transport {
	send(data: Uint8Array): void;
	close(code: number, reason: string): void;
	/** Bytes queued but not yet written; used to shed clients that cannot keep up. */
	readonly bufferedAmount: number;
}

export interface ConnectionUser {
	id: string;
	displayName: string;
}

/**
 * One client's connection to one document: who it is, what it may do, and which of the
 * changes it sent are durable. Messages are handled by the document (`LiveDocument`).
 */
export class Connection {
	/** Update-bearing messages received (sync step 2 or update), counting from 1. */
	received = 0;
	/** Sequence numbers of received messages whose changes are not yet durable, in order. */
	readonly pending: number[] = [];
	acked = 0;
	/** Awareness client ids this connection has set, to remove them when it leaves. */
	readonly awarenessIds = new Set<number>();
	closed = false;

	constructor(
		readonly transport: Transport,
		readonly user: ConnectionUser,
		readonly access: DocAccess,
		/** Whether the client asked for Saved/Access messages (`?acks=1`). */
		readonly acks: boolean
	) {}

	send(data: Uint8Array): void {
		if (!this.closed) this.transport.send(data);
	}

	close(code: number, reason: string): void {
		if (this.closed) return;
		this.closed = true;
		this.transport.close(code, reason);
	}

	/** Tells the client how many of its messages are durable, if that moved. */
	acknowledge(): void {
		const durable = this.pending.length > 0 ? this.pending[0]! - 1 : this.received;
		if (durable <= this.acked) return;
		this.acked = durable;
		if (!this.acks) return;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MessageType.Saved);
		encoding.writeVarUint(encoder, durable);
		this.send(encoding.toUint8Array(encoder));
	}

	announceAccess(): void {
		if (!this.acks) return;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MessageType.Access);
		encoding.writeVarString(encoder, this.access);
		this.send(encoding.toUint8Array(encoder));
	}
}

export function readMessageType(data: Uint8Array): { type: number; decoder: decoding.Decoder } {
	const decoder = decoding.createDecoder(data);
	return { type: decoding.readVarUint(decoder), decoder };
}
