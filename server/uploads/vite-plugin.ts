import type { Plugin } from 'vite';

/**
 * Serves the tus upload door from Vite's dev server, so `npm run dev` uploads like
 * production (where `server/app.ts` mounts it). Runs before SvelteKit's middleware.
 */
export function uploadsDev(): Plugin {
	return {
		name: 'muster-uploads-dev',
		apply: 'serve',
		async configureServer(server) {
			const load = <T>(path: string) => server.ssrLoadModule(path) as Promise<T>;
			const { config } = await load<typeof import('../config')>('/server/config.ts');
			const { database } = await load<typeof import('../db')>('/server/db.ts');
			const { logger } = await load<typeof import('../logger')>('/server/logger.ts');
			const { createImportFromUpload } = await load<typeof import('../leads/imports')>('/server/leads/imports.ts');
			const { createUploadDoor } = await load<typeof import('./tus-door')>('/server/uploads/tus-door.ts');
			const cfg = config();
			const door = createUploadDoor({
				db: database().db,
				directory: cfg.UPLOAD_DIR,
				maxBytes: cfg.UPLOAD_MAX_BYTES,
				origin: cfg.ORIGIN,
				onComplete: createImportFromUpload,
				log: logger().child({ module: 'uploads' })
			});
			server.middlewares.use((req, res, next) => {
				door.handle(req, res).then((handled) => {
					if (!handled) next();
				}, next);
			});
		}
	};
}
