import { eq, sql } from 'drizzle-orm';
import { briefs, workspaces } from '../../db/schema/index';
import type { DocumentKind } from '../documents/kinds';

/** Longest brief we project for server rendering; the document itself has no limit. */
const PROJECTED_CHARS = 100_000;

/**
 * The workspace brief: one co-edited markdown document per workspace, named
 * `brief:<workspace id>`, shown on the workspace's home page.
 */
export const briefKind: DocumentKind = {
	kind: 'brief',
	roots: { body: 'text' },
	async locate(db, id) {
		const [row] = await db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, id)).limit(1);
		return row?.id ?? null;
	},
	async project({ db, workspaceId, doc }) {
		const body = doc.getText('body').toString().slice(0, PROJECTED_CHARS);
		await db
			.insert(briefs)
			.values({ workspaceId, body })
			.onConflictDoUpdate({ target: briefs.workspaceId, set: { body, updatedAt: sql`now()` } });
	}
};

export function briefDocName(workspaceId: string): string {
	return `brief:${workspaceId}`;
}

export async function projectedBrief(db: Parameters<DocumentKind['locate']>[0], workspaceId: string): Promise<string> {
	const [row] = await db.select({ body: briefs.body }).from(briefs).where(eq(briefs.workspaceId, workspaceId)).limit(1);
	return row?.body ?? '';
}
