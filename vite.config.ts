import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';
import { musterDev } from './realtime/vite-plugin';
import { uploadsDev } from './server/uploads/vite-plugin';

export default defineConfig({
	plugins: [tailwindcss(), uploadsDev(), sveltekit(), musterDev()],
	server: { port: Number(process.env.PORT ?? 3000), strictPort: false },
	build: { chunkSizeWarningLimit: 800 }
});
