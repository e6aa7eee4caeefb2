import { z } from 'zod';
import { actorOf } from '../../auth/deps';
import { addDnc, listDnc, removeDnc, uploadDnc } from '../../leads/dnc';
import { router, workspaceInput, workspaceProcedure } from '../init';

const phone = z.string().trim().min(1, 'Enter a phone number').max(40, 'That is too long for a phone number');
const reason = z.string().trim().max(200).default('');

export const dncRouter = router({
	list: workspaceProcedure('workspace.view')
		.input(workspaceInput.extend({ q: z.string().trim().max(40).optional(), before: z.string().max(200).nullish() }))
		.query(({ ctx, input }) => listDnc(ctx.deps.db, ctx.member.workspaceId, input)),

	add: workspaceProcedure('content.edit')
		.input(workspaceInput.extend({ phone, reason }))
		.mutation(({ ctx, input }) => addDnc(ctx.deps.db, actorOf(ctx.user, ctx), ctx.member.workspaceId, input)),

	/** A small CSV of phones, sent as text (it fits the request body limit). */
	upload: workspaceProcedure('content.edit')
		.input(workspaceInput.extend({ fileName: z.string().trim().max(255), text: z.string().max(900_000, 'The file is too large; upload at most 20,000 phones at a time.'), reason }))
		.mutation(({ ctx, input }) => uploadDnc(ctx.deps.db, actorOf(ctx.user, ctx), ctx.member.workspaceId, input)),

	remove: workspaceProcedure('dnc.remove')
		.input(workspaceInput.extend({ phone }))
		.mutation(async ({ ctx, input }) => {
			await removeDnc(ctx.deps.db, actorOf(ctx.user, ctx), ctx.member.workspaceId, input.phone);
			return { ok: true as const };
		})
});
