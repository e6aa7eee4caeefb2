import { randomBytes } from 'node:crypto';

/** A URL slug from a name, with a short random tail so names need not be unique. */
export function slugify(name: string): string {
	const base = name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 40)
		.replace(/-+$/g, '');
	return `${base || 'workspace'}-${randomBytes(3).toString('hex')}`;
}
