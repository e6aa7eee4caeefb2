import type { Server as HttpServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Server } from 'socket.io';
import { pingSchema, type ClientToServerEvents, type ServerToClientEvents } from './protocol/socket-events';

export interface SocketUser {
	id: string;
	displayName: string;
}

export interface SocketHooks {
	/** Who is connecting, from the handshake cookie; null refuses the connection. */
	authenticate: (cookieHeader: string | undefined) => Promise<SocketUser | null>;
	onOpen?: () => void;
	onClose?: () => void;
	onDropped?: (event: string) => void;
}

export type MusterIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { user: SocketUser }>;

export const instanceId = randomUUID();

export function createSocketServer(httpServer: HttpServer, hooks: SocketHooks): MusterIo {
	const io: MusterIo = new Server(httpServer, {
		path: '/socket.io',
		serveClient: false,
		// Other doors share the server's `upgrade` event; engine.io must not kill their sockets.
		destroyUpgrade: false,
		maxHttpBufferSize: 64 * 1024
	});
	io.use((socket, next) => {
		hooks.authenticate(socket.handshake.headers.cookie).then(
			(user) => {
				if (!user) return next(new Error('unauthenticated'));
				socket.data.user = user;
				next();
			},
			() => next(new Error('unavailable'))
		);
	});
	io.on('connection', (socket) => {
		hooks.onOpen?.();
		socket.on('disconnect', () => hooks.onClose?.());
		socket.emit('hello', { instance: instanceId, at: Date.now() });
		socket.on('ping', (payload, ack) => {
			const parsed = pingSchema.safeParse(payload);
			if (!parsed.success || typeof ack !== 'function') {
				hooks.onDropped?.('ping');
				return;
			}
			ack({ pong: true, sent: parsed.data.sent, at: Date.now() });
		});
	});
	return io;
}
