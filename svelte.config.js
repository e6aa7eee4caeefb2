import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		files: {
			assets: 'static',
			hooks: { server: 'app/hooks.server', client: 'app/hooks.client', universal: 'app/hooks' },
			lib: 'app/lib',
			params: 'app/params',
			routes: 'app/routes',
			serviceWorker: 'app/service-worker',
			appTemplate: 'app/app.html',
			errorTemplate: 'app/error.html'
		},
		typescript: {
			// app.d.ts lives under app/, which the generated tsconfig does not include by default.
			config: (cfg) => {
				cfg.include.push('../app/app.d.ts');
			}
		},
		alias: {
			$server: 'server',
			$realtime: 'realtime',
			$db: 'db',
			$jobs: 'jobs'
		},
	}
};

export default config;
