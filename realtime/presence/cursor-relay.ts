import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Cursor } from '../protocol/socket-events';
import type { MusterIo, MusterSocket } from '../socket-types';

const relayed = z.object({ from: z.string(), room: z.string(), cursor: z.custom<Cursor>((v) => typeof v === 'object' && v !== null) });

/**
 * Cursors cross instances over plain Redis pub/sub, not the streams adapter: they are
 * volatile and frequent, and through the adapter's one capped stream they crowded out (and,
 * once the stream was trimmed under load, lost) the events that must arrive — drops and
 * presence lists. Measured by bench:realtime scenario 5. A lost cursor costs nothing; the
 * next one supersedes it.
 */
export class CursorRelay {
	readonly #onMessage = (channel: string, message: string) => {
		if (channel !== this.channel) return;
		let parsed: z.infer<typeof relayed>;
		try {
			parsed = relayed.parse(JSON.parse(message));
		} catch {
			return;
		}
		if (parsed.from === this.instance) return;
		this.io.local.to(parsed.room).volatile.emit('cursor', parsed.cursor);
	};

	constructor(
		private readonly io: MusterIo,
		private readonly subscriber: Redis,
		private readonly publisher: Redis,
		private readonly channel: string,
		private readonly instance: string
	) {}

	async start(): Promise<void> {
		this.subscriber.on('message', this.#onMessage);
		await this.subscriber.subscribe(this.channel);
	}

	/** To everyone else in `room`: here directly, elsewhere through Redis. */
	send(socket: MusterSocket, room: string, cursor: Cursor): void {
		socket.to(room).local.volatile.emit('cursor', cursor);
		this.publisher.publish(this.channel, JSON.stringify({ from: this.instance, room, cursor })).catch(() => undefined);
	}

	async close(): Promise<void> {
		this.subscriber.off('message', this.#onMessage);
		await this.subscriber.quit().catch(() => undefined);
	}
}
