import type { Plugin } from 'vite';

/**
 * Binds the realtime doors (and the ops endpoints) to Vite's dev server, so `npm run dev`
 * behaves like production. Loaded through Vite's SSR loader so edits reload like app code.
 */
export function musterDev(): Plugin {
	return {
		name: 'muster-dev',
		apply: 'serve',
		async configureServer(server) {
			if (!server.httpServer) return;
			const httpServer = server.httpServer as import('node:http').Server;
			const { attach } = (await server.ssrLoadModule('/realtime/index.ts')) as typeof import('./index');
			const { handleOps } = (await server.ssrLoadModule('/server/http/ops.ts')) as typeof import('../server/http/ops');
			const { bootstrap } = (await server.ssrLoadModule('/server/bootstrap.ts')) as typeof import('../server/bootstrap');
			const { config } = (await server.ssrLoadModule('/server/config.ts')) as typeof import('../server/config');
			await bootstrap(config());
			attach(httpServer);
			server.middlewares.use((req, res, next) => {
				handleOps(req, res).then((handled) => {
					if (!handled) next();
				}, next);
			});
		}
	};
}
