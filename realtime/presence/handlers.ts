import { cursorMoveSchema, dropSendSchema, joinSchema, leaveSchema, whereSchema } from '../protocol/socket-events';
import { onEvent, type EventHooks } from '../socket-events';
import type { MusterSocket } from '../socket-types';
import type { PresenceService } from './presence-service';

/** The presence and drop events of one socket (SPEC P2–P7), each parsed before it is acted on. */
export function registerPresenceEvents(socket: MusterSocket, presence: PresenceService, hooks: EventHooks): void {
	onEvent(socket, 'presence:join', joinSchema, 'required', (p) => presence.join(socket, p.workspaceId, p.where), hooks);
	onEvent(socket, 'presence:where', whereSchema, 'optional', (p) => presence.where(socket, p), hooks);
	onEvent(socket, 'presence:leave', leaveSchema, 'optional', (p) => presence.leave(socket, p.workspaceId), hooks);
	onEvent(socket, 'drop:send', dropSendSchema, 'required', (p) => presence.drop(socket, p), hooks);
	onEvent(
		socket,
		'cursor:move',
		cursorMoveSchema,
		'none',
		(p) => {
			const reason = presence.cursor(socket, p);
			if (reason) hooks.onDropped?.('cursor:move', reason);
		},
		hooks
	);
	socket.on('disconnect', () => {
		presence.disconnected(socket).catch((error: unknown) => hooks.onError?.(error, 'presence disconnect'));
	});
}
