import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { attach, type Realtime } from '../realtime/index';
import type { Config } from './config';
import { database } from './db';
import { handleOps } from './http/ops';
import { requestId } from './http/request-id';
import { createImportFromUpload } from './leads/imports';
import { createUploadDoor } from './uploads/tus-door';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

export const buildDir = fileURLToPath(new URL('../build', import.meta.url));

async function loadSvelteKit(cfg: Config): Promise<NodeHandler> {
	const entry = `${buildDir}/handler.js`;
	if (!existsSync(entry)) throw new Error(`No app build at ${entry}: run \`npm run build\` (npm start does it for you).`);
	// adapter-node reads these when its handler module loads.
	process.env.ORIGIN = cfg.ORIGIN;
	process.env.BODY_SIZE_LIMIT = String(cfg.BODY_SIZE_LIMIT);
	const mod = (await import(pathToFileURL(entry).href)) as { handler: NodeHandler };
	return mod.handler;
}

function tooLarge(res: ServerResponse, limit: number): void {
	res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
	res.end(JSON.stringify({ error: { code: 'PAYLOAD_TOO_LARGE', message: `Request body is larger than the ${limit}-byte limit.` } }));
}

export interface WebApp {
	server: http.Server;
	realtime: Realtime;
	close(): Promise<void>;
}

export async function createWebApp(cfg: Config, log: Logger): Promise<WebApp> {
	const svelteKit = await loadSvelteKit(cfg);
	const uploads = createUploadDoor({
		db: database().db,
		directory: cfg.UPLOAD_DIR,
		maxBytes: cfg.UPLOAD_MAX_BYTES,
		origin: cfg.ORIGIN,
		onComplete: createImportFromUpload,
		log: log.child({ module: 'uploads' })
	});
	const server = http.createServer((req, res) => {
		const id = requestId(req);
		req.headers['x-request-id'] = id;
		res.setHeader('x-request-id', id);
		const started = performance.now();
		res.on('finish', () => {
			log.info(
				{ reqId: id, method: req.method, url: req.url, status: res.statusCode, ms: Math.round(performance.now() - started) },
				'request'
			);
		});
		const fail = (err: unknown) => {
			log.error({ err, reqId: id }, 'request failed');
			if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'Internal error', requestId: id } }));
		};
		// Uploads stream large bodies in chunks of their own, so they come before the body limit.
		const path = (req.url ?? '').split('?')[0] ?? '';
		if (path.startsWith('/api/uploads')) {
			uploads.handle(req, res).then((handled) => {
				if (!handled) svelteKit(req, res);
			}, fail);
			return;
		}
		const declared = Number(req.headers['content-length'] ?? 0);
		if (declared > cfg.BODY_SIZE_LIMIT) {
			req.resume();
			tooLarge(res, cfg.BODY_SIZE_LIMIT);
			return;
		}
		handleOps(req, res)
			.then((handled) => {
				if (!handled) svelteKit(req, res);
			})
			.catch(fail);
	});
	server.keepAliveTimeout = 65_000;
	const realtime = attach(server);
	// Upgrades that no door claims are closed, rather than left hanging.
	server.on('upgrade', (req: IncomingMessage, socket) => {
		const path = (req.url ?? '').split('?')[0] ?? '';
		if (!path.startsWith('/yjs/') && !path.startsWith('/socket.io')) socket.destroy();
	});
	return {
		server,
		realtime,
		async close() {
			// Socket.IO closes the HTTP server too; stop new connections first, then drain.
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			server.closeIdleConnections();
			await realtime.close();
			server.closeAllConnections();
			await closed;
		}
	};
}
