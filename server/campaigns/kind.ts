import { and, eq, ne, sql } from 'drizzle-orm';
import { campaigns } from '../../db/schema/index';
import type { DocumentKind } from '../documents/kinds';
import { CAMPAIGN_ROOTS, campaignDraft } from './document';

/**
 * A campaign, co-edited live (shape in `document.ts`). Default access: operators and up
 * write, viewers read. After each persisted batch the projection validates the document and
 * writes the row's settings and issues; invalid states stay in the document.
 */
export const campaignKind: DocumentKind = {
	kind: 'campaign',
	roots: CAMPAIGN_ROOTS,
	async locate(db, id) {
		const [row] = await db
			.select({ workspaceId: campaigns.workspaceId })
			.from(campaigns)
			.where(and(eq(campaigns.id, id), ne(campaigns.status, 'archived')))
			.limit(1);
		return row?.workspaceId ?? null;
	},
	async project({ db, id, workspaceId, doc }) {
		const draft = await campaignDraft(db, workspaceId, doc);
		await db
			.update(campaigns)
			.set({
				vertical: draft.content.vertical,
				channel: draft.content.channel,
				audienceFilterId: draft.content.audience?.filterId ?? null,
				issues: draft.issues,
				errorCount: draft.errorCount,
				draftHash: draft.hash,
				updatedAt: sql`now()`
			})
			.where(and(eq(campaigns.id, id), eq(campaigns.workspaceId, workspaceId)));
	}
};

export function campaignDocName(id: string): string {
	return `campaign:${id}`;
}
