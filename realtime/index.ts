import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { wsConnections } from '../server/metrics';
import { authenticateCookieHeader } from '../server/realtime-access';
import { createSocketServer, type MusterIo } from './socket-server';
import { YjsDoor } from './yjs-door';

export interface Realtime {
	io: MusterIo;
	yjs: YjsDoor;
	close(): Promise<void>;
}

/**
 * Binds the realtime doors to an HTTP server. `server/main.ts` calls it in production and
 * the Vite plugin in `npm run dev`, so both behave the same.
 */
export function attach(httpServer: HttpServer): Realtime {
	const yjs = new YjsDoor({
		authenticate: (request) => authenticateCookieHeader(request.headers.cookie),
		onOpen: () => wsConnections.inc({ door: 'yjs' }),
		onClose: () => wsConnections.dec({ door: 'yjs' })
	});
	const io = createSocketServer(httpServer, {
		authenticate: authenticateCookieHeader,
		onOpen: () => wsConnections.inc({ door: 'socket.io' }),
		onClose: () => wsConnections.dec({ door: 'socket.io' })
	});
	const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
		yjs.handleUpgrade(request, socket, head);
	};
	httpServer.on('upgrade', onUpgrade);
	return {
		io,
		yjs,
		async close() {
			httpServer.off('upgrade', onUpgrade);
			await yjs.close();
			await io.close();
		}
	};
}
