import { desc, eq } from 'drizzle-orm';
import { leadImports, users } from '$db/schema/index';
import { database } from '$server/db';
import type { PageServerLoad } from './$types';

/** As many as +page.ts lists (route modules may export only what SvelteKit knows). */
const JOB_LIMIT = 50;

/**
 * Who uploaded each of the newest imports, by import id. `imports.list` does not carry the
 * uploader yet, so the page asks for the names alone here; everything else comes over tRPC.
 * Membership is checked by the workspace layout.
 */
export const load: PageServerLoad = async ({ parent, depends }) => {
	depends('activity:jobs');
	const { workspace } = await parent();
	const { db } = database();
	const rows = await db
		.select({ id: leadImports.id, userId: users.id, name: users.displayName })
		.from(leadImports)
		.innerJoin(users, eq(users.id, leadImports.createdBy))
		.where(eq(leadImports.workspaceId, workspace.id))
		.orderBy(desc(leadImports.createdAt), desc(leadImports.id))
		.limit(JOB_LIMIT);
	return { starters: Object.fromEntries(rows.map((row) => [row.id, { userId: row.userId, name: row.name }])) };
};
