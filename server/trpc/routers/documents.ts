import { z } from 'zod';
import { docNameSchema } from '../../documents/names';
import { documentAccess, listVersions, restoreVersion, versionState } from '../../documents/versions';
import { router, workspaceInput, workspaceProcedure } from '../init';

const docInput = workspaceInput.extend({ docName: docNameSchema });

export const documentsRouter = router({
	/** The document's versions, newest first (50 per page; pass the last `createdAt` for more). */
	versions: workspaceProcedure('workspace.view')
		.input(docInput.extend({ before: z.iso.datetime().optional() }))
		.query(async ({ ctx, input }) => {
			await documentAccess(ctx.deps.db, ctx.user.id, ctx.member.workspaceId, input.docName);
			return listVersions(ctx.deps.db, input.docName, input.before ? new Date(input.before) : undefined);
		}),

	/** One version's state (Yjs V2, base64), to show read-only. */
	version: workspaceProcedure('workspace.view')
		.input(docInput.extend({ versionId: z.uuid() }))
		.query(async ({ ctx, input }) => {
			await documentAccess(ctx.deps.db, ctx.user.id, ctx.member.workspaceId, input.docName);
			const state = await versionState(ctx.deps.db, input.docName, input.versionId);
			return { id: input.versionId, state: Buffer.from(state).toString('base64') };
		}),

	/** Restores a version as a new change every collaborator receives. */
	restore: workspaceProcedure('content.edit')
		.input(docInput.extend({ versionId: z.uuid() }))
		.mutation(async ({ ctx, input }) => {
			await restoreVersion(ctx.deps.db, ctx.user.id, ctx.member.workspaceId, input.docName, input.versionId);
			return { ok: true as const };
		})
});
