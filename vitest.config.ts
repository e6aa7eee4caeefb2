import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
		globalSetup: ['tests/integration/global-setup.ts'],
		setupFiles: ['tests/integration/setup-env.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// Integration files share one database per run; run files one after another.
		fileParallelism: false,
		pool: 'forks'
	}
});
