import { z } from 'zod';

/** `<kind>:<uuid>`, e.g. `campaign:0b7e…`. Kinds are lower-case words registered by domains. */
export const docNameSchema = z
	.string()
	.regex(/^[a-z][a-z-]{1,31}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'expected <kind>:<uuid>');

export interface DocName {
	kind: string;
	id: string;
}

export function parseDocName(raw: string): DocName | null {
	const parsed = docNameSchema.safeParse(raw);
	if (!parsed.success) return null;
	const [kind, id] = parsed.data.split(':') as [string, string];
	return { kind, id };
}

/** Extracts the document name from an upgrade URL such as `/yjs/brief:…?x=1`. */
export function docNameFromPath(url: string): string | null {
	const path = url.split('?')[0] ?? '';
	if (!path.startsWith('/yjs/')) return null;
	try {
		return decodeURIComponent(path.slice('/yjs/'.length));
	} catch {
		return '';
	}
}
