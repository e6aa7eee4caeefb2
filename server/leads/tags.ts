import { z } from 'zod';

/**
 * What a tag may be, wherever one is typed (the leads table, a campaign's Tag lead step).
 * Its own module so browser code (the campaign canvas validates steps live) can use it
 * without pulling in the database code of `bulk.ts`.
 */
export const tagSchema = z
	.string()
	.trim()
	.min(1, 'Type a tag')
	.max(50, 'Tags are at most 50 characters')
	.regex(/^[^,{}"\\]+$/, 'Tags cannot contain commas, quotes, braces or backslashes');
