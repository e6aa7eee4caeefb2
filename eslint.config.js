import js from '@eslint/js';
import drizzle from 'eslint-plugin-drizzle';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{ ignores: ['build/', '.svelte-kit/', 'node_modules/', 'db/migrations/', 'test-results/', 'playwright-report/', 'bench/.data/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			'no-console': ['error', { allow: ['warn', 'error'] }],
			// Muster is always served from the root (no `paths.base`), so plain hrefs are correct.
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	{
		// Type-aware rules where they matter most: a forgotten await loses errors and ordering.
		files: ['server/**/*.ts', 'realtime/**/*.ts', 'db/**/*.ts', 'jobs/**/*.ts'],
		languageOptions: { parserOptions: { project: ['./tsconfig.node.json'], tsconfigRootDir: import.meta.dirname } },
		plugins: { drizzle },
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
			'drizzle/enforce-delete-with-where': ['error', { drizzleObjectName: ['db', 'tx'] }],
			'drizzle/enforce-update-with-where': ['error', { drizzleObjectName: ['db', 'tx'] }]
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig } }
	}
);
