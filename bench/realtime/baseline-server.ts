/**
 * The baseline: the least a server can do to carry the same traffic. A raw `ws` relay that
 * forwards every frame a client sends to every other client in its room, and to the other
 * instances through Redis pub/sub (one channel per room), as Muster's bus does. It keeps no
 * document, checks no session and stores nothing, so Muster ÷ baseline is the price of the
 * engine (and of Socket.IO) over plain fan-out on the same machine.
 *
 * Rooms: `/yjs/<room>` carries y-websocket frames. Its one concession to the protocol is the
 * handshake: a client's sync step 1 is answered with a sync step 2 holding the room's stored
 * blob (the Redis key `<prefix>:blob:<room>`, read once, for the join scenario) or an empty
 * update, so the stock WebsocketProvider reports "synced". Everything else is forwarded.
 * `/raw/<room>` carries JSON text: `{"t":"cursor",…}` goes to the others, anything else
 * (drops, moves) to everyone including the sender, as Muster's rooms do.
 *
 * Env: PORT, REDIS_URL, BASELINE_PREFIX.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import * as encoding from 'lib0/encoding';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

const port = Number(process.env.PORT ?? 0);
const prefix = process.env.BASELINE_PREFIX ?? 'baseline';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const INSTANCE = randomBytes(8);
const FLAG_BINARY = 1;
const FLAG_EVERYONE = 2;

const pub = new Redis(redisUrl);
const sub = new Redis(redisUrl);
// A subscriber that falls behind is disconnected by Redis (client-output-buffer-limit pubsub);
// what was published meanwhile never arrives, and a plain relay has nothing to recover it with.
for (const [role, client] of [
	['publisher', pub],
	['subscriber', sub]
] as const) {
	client.on('error', (error: Error) => process.stderr.write(`baseline redis ${role}: ${error.message}\n`));
	client.on('reconnecting', () => process.stderr.write(`baseline redis ${role} reconnecting: messages published meanwhile are lost\n`));
}
const rooms = new Map<string, Set<WebSocket>>();
const blobs = new Map<string, Promise<Uint8Array>>();
const channel = (room: string) => `${prefix}:room:${room}`;

function toBuffer(data: RawData): Buffer {
	if (Array.isArray(data)) return Buffer.concat(data);
	if (data instanceof ArrayBuffer) return Buffer.from(data);
	return data;
}

function deliver(room: string, from: WebSocket | null, data: Buffer, flags: number): void {
	const local = rooms.get(room);
	if (!local) return;
	const binary = (flags & FLAG_BINARY) !== 0;
	const everyone = (flags & FLAG_EVERYONE) !== 0;
	for (const ws of local) {
		if (ws === from && !everyone) continue;
		if (ws.readyState === ws.OPEN) ws.send(data, { binary });
	}
}

function relay(room: string, from: WebSocket, data: Buffer, flags: number): void {
	deliver(room, from, data, flags);
	void pub.publish(channel(room), Buffer.concat([INSTANCE, Buffer.from([flags]), data]));
}

sub.on('messageBuffer', (name: Buffer, message: Buffer) => {
	if (message.subarray(0, INSTANCE.length).equals(INSTANCE)) return;
	const room = name.toString().slice(`${prefix}:room:`.length);
	const flags = message[INSTANCE.length] ?? 0;
	deliver(room, null, message.subarray(INSTANCE.length + 1), flags);
});

function step2(room: string): Promise<Uint8Array> {
	let blob = blobs.get(room);
	if (!blob) {
		blob = pub.getBuffer(`${prefix}:blob:${room}`).then((stored) => {
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, 0); // sync
			encoding.writeVarUint(encoder, 1); // step 2
			encoding.writeVarUint8Array(encoder, stored ? new Uint8Array(stored) : new Uint8Array([0, 0]));
			return encoding.toUint8Array(encoder);
		});
		blobs.set(room, blob);
	}
	return blob;
}

function join(room: string, ws: WebSocket): void {
	let local = rooms.get(room);
	if (!local) {
		rooms.set(room, (local = new Set()));
		void sub.subscribe(channel(room));
	}
	local.add(ws);
	ws.on('close', () => {
		local.delete(ws);
		if (local.size === 0 && rooms.get(room) === local) {
			rooms.delete(room);
			void sub.unsubscribe(channel(room));
		}
	});
}

const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
const server = http.createServer((req, res) => {
	res.writeHead(req.url === '/readyz' ? 200 : 404).end();
});
server.on('upgrade', (request, socket, head) => {
	const match = /^\/(yjs|raw)\/([^?]+)/.exec(request.url ?? '');
	if (!match) return socket.destroy();
	const kind = match[1];
	const room = decodeURIComponent(match[2] ?? '');
	wss.handleUpgrade(request, socket, head, (ws) => {
		join(room, ws);
		ws.on('error', () => ws.terminate());
		ws.on('message', (data, isBinary) => {
			const bytes = toBuffer(data);
			if (kind === 'yjs') {
				// Sync step 1 is the handshake: answer it, do not broadcast it.
				if (bytes[0] === 0 && bytes[1] === 0) {
					void step2(room).then((reply) => ws.readyState === ws.OPEN && ws.send(reply));
					return;
				}
				relay(room, ws, bytes, FLAG_BINARY);
				return;
			}
			const volatile = bytes.subarray(0, 12).toString() === '{"t":"cursor';
			relay(room, ws, bytes, (isBinary ? FLAG_BINARY : 0) | (volatile ? 0 : FLAG_EVERYONE));
		});
	});
});

server.listen(port, '127.0.0.1', () => {
	const address = server.address();
	process.stdout.write(`baseline listening on ${typeof address === 'object' && address ? address.port : port}\n`);
});

function shutdown(): void {
	for (const ws of wss.clients) ws.terminate();
	server.close();
	pub.disconnect();
	sub.disconnect();
	process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
