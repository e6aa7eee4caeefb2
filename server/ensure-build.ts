/**
 * `npm start` runs this first: it builds the app when there is no build or when any source
 * is newer than it, so a fresh clone needs only `npm install && npm start`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const marker = join(root, 'build', 'handler.js');
const sources = ['app', 'static', 'server', 'realtime', 'db', 'jobs', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

function newest(path: string): number {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let max = stat.mtimeMs;
	for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
	return max;
}

const built = existsSync(marker) ? statSync(marker).mtimeMs : 0;
const changed = Math.max(...sources.map((s) => newest(join(root, s))));
if (built === 0 || changed > built) {
	process.stdout.write(built === 0 ? 'Building the app (first start)…\n' : 'Sources changed since the last build; rebuilding…\n');
	const result = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
		cwd: root,
		stdio: 'inherit'
	});
	process.exit(result.status ?? 1);
}
