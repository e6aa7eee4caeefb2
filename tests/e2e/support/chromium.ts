import { existsSync } from 'node:fs';

/** PLAYWRIGHT_CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own browser if installed. */
export function chromiumExecutable(): string | undefined {
	const fromEnv = process.env.PLAYWRIGHT_CHROMIUM_PATH;
	if (fromEnv) return fromEnv;
	if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
	return undefined;
}
