import { UAParser } from 'ua-parser-js';

/** "Chrome on Linux", "Mobile Safari on iPhone": what the sessions list shows for a user agent. */
export function describeDevice(userAgent: string): string {
	if (!userAgent) return 'Unknown device';
	const { browser, os, device } = new UAParser(userAgent).getResult();
	const where = device.model ?? os.name;
	if (browser.name && where) return `${browser.name} on ${where}`;
	return browser.name ?? where ?? 'Unknown device';
}
