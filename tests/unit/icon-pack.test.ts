import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stepTypes } from '../../server/campaigns/steps/registry';
import { stepIconName } from '../../app/lib/components/campaign/step-icons';

const root = fileURLToPath(new URL('../..', import.meta.url));
const app = join(root, 'app');
/** The one file allowed to name the icon pack (issue 2: swap the pack in one place). */
const ICON = 'app/lib/components/Icon.svelte';
// A module specifier naming the pack: static import/export-from, dynamic import, bare import.
const PACK = /(?:from\s*|import\s*\(\s*|import\s+)['"]@lucide\/svelte(?:\/[^'"]*)?['"]/;

function sources(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return sources(path);
		return /\.(svelte|ts|js)$/.test(entry.name) ? [path] : [];
	});
}

describe('icon pack', () => {
	it('is imported only by Icon.svelte', () => {
		const files = sources(app).map((path) => relative(root, path));
		expect(files).toContain(ICON);
		const offenders = files.filter((file) => file !== ICON && PACK.test(readFileSync(join(root, file), 'utf8')));
		expect(offenders).toEqual([]);
	});

	it('the pattern catches the ways a file could import the pack', () => {
		for (const line of [
			"import Ban from '@lucide/svelte/icons/ban';",
			'import type { LucideProps } from "@lucide/svelte";',
			"const m = await import('@lucide/svelte/icons/x');",
			"export { default as X } from '@lucide/svelte/icons/x';"
		]) {
			expect(line).toMatch(PACK);
		}
		expect('<!-- icons come from the lucide pack -->').not.toMatch(PACK);
	});

	it('maps every campaign step type to an icon', () => {
		for (const step of stepTypes) expect(stepIconName(step.manifest.icon), step.type).not.toBe('unknown');
	});
});
