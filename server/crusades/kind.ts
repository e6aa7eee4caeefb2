import { and, eq, ne, sql } from 'drizzle-orm';
import type * as Y from 'yjs';
import type { Database } from '../../db/client';
import { crusadeCampaigns, crusades } from '../../db/schema/index';
import type { DocumentKind } from '../documents/kinds';
import { CRUSADE_ROOTS, crusadeDraft } from './document';

/**
 * A crusade, co-edited live (shape in `document.ts`). Default access: operators and up
 * write, viewers read. The projection writes the validated schedule, the issues and the
 * list of member campaigns.
 */
export const crusadeKind: DocumentKind = {
	kind: 'crusade',
	roots: CRUSADE_ROOTS,
	async locate(db, id) {
		const [row] = await db
			.select({ workspaceId: crusades.workspaceId })
			.from(crusades)
			.where(and(eq(crusades.id, id), ne(crusades.status, 'archived')))
			.limit(1);
		return row?.workspaceId ?? null;
	},
	project: ({ db, id, workspaceId, doc }) => writeCrusadeProjection(db, id, workspaceId, doc)
};

/** The crusade's row and campaign list from its document (also run when a listed campaign is published). */
export async function writeCrusadeProjection(db: Database, id: string, workspaceId: string, doc: Y.Doc): Promise<void> {
	const draft = await crusadeDraft(db, workspaceId, doc);
	const schedule = draft.content.schedule;
	await db.transaction(async (tx) => {
		const updated = await tx
			.update(crusades)
			.set({
				startsAt: schedule ? new Date(schedule.startsAt) : null,
				endsAt: schedule ? new Date(schedule.endsAt) : null,
				schedule: schedule as Record<string, unknown> | null,
				issues: draft.issues,
				errorCount: draft.errorCount,
				draftHash: draft.hash,
				updatedAt: sql`now()`
			})
			.where(and(eq(crusades.id, id), eq(crusades.workspaceId, workspaceId)))
			.returning({ id: crusades.id });
		if (updated.length === 0) return;
		await tx.delete(crusadeCampaigns).where(eq(crusadeCampaigns.crusadeId, id));
		if (draft.campaignIds.length > 0) {
			await tx.insert(crusadeCampaigns).values(draft.campaignIds.map((campaignId, position) => ({ crusadeId: id, campaignId, position })));
		}
	});
}

export function crusadeDocName(id: string): string {
	return `crusade:${id}`;
}
