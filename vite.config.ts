import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';
import { musterDev } from './realtime/vite-plugin';

export default defineConfig({
	plugins: [tailwindcss(), sveltekit(), musterDev()],
	server: { port: Number(process.env.PORT ?? 3000), strictPort: false },
	build: { chunkSizeWarningLimit: 800 }
});
