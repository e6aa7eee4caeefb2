import { z } from 'zod';

/** `<kind>:<uuid>`, e.g. `campaign:0b7e…`. Kinds are lower-case words registered by domains (SPEC D1). */
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
