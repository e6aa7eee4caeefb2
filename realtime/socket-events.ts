import type { z } from 'zod';
import type { ClientToServerEvents } from './protocol/socket-events';
import type { DropReason, MusterSocket } from './socket-types';

export interface EventHooks {
	onDropped?: (event: string, reason: DropReason) => void;
	onError?: (error: unknown, context: string) => void;
}

/**
 * Listens for one client event the way SPEC S1 asks: the payload must parse with `schema`
 * (and carry an acknowledgement when `ack` is 'required'), else it is dropped and counted,
 * never answered. `run`'s answer goes back through the acknowledgement when there is one.
 */
export function onEvent<S extends z.ZodType>(
	socket: MusterSocket,
	event: keyof ClientToServerEvents,
	schema: S,
	ack: 'required' | 'optional' | 'none',
	run: (payload: z.infer<S>) => unknown,
	hooks: EventHooks
): void {
	const listener = (payload: unknown, callback: unknown) => {
		const parsed = schema.safeParse(payload);
		const reply = typeof callback === 'function' && ack !== 'none' ? (callback as (answer: unknown) => void) : null;
		if (!parsed.success || (ack === 'required' && !reply)) {
			hooks.onDropped?.(event, 'malformed');
			return;
		}
		void Promise.resolve()
			.then(() => run(parsed.data))
			.then(
				(answer) => reply?.(answer),
				(error: unknown) => {
					hooks.onError?.(error, event);
					reply?.({ ok: false, error: { code: 'unavailable', message: 'Something went wrong on our side. Try again in a moment.' } });
				}
			);
	};
	// The typed map describes well-formed payloads; at runtime anything can arrive, hence `unknown`.
	socket.on(event, listener as never);
}
