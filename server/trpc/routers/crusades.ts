import { z } from 'zod';
import { actorOf } from '../../auth/deps';
import { createCrusade, crusadeVersion, deleteCrusade, getCrusade, listCrusades, listCrusadeVersions, publishCrusade, renameCrusade } from '../../crusades/service';
import { router, workspaceInput, workspaceProcedure } from '../init';

const name = z.string().trim().min(1, 'Give it a name').max(120, 'Keep the name under 120 characters');
const one = workspaceInput.extend({ crusadeId: z.uuid() });

/** Crusades: viewers read, operators and up create, edit and publish. The content is edited live in `crusade:<id>`. */
export const crusadesRouter = router({
	list: workspaceProcedure('workspace.view')
		.input(workspaceInput)
		.query(({ ctx, input }) => listCrusades(ctx.deps.db, input.workspaceId)),

	get: workspaceProcedure('workspace.view')
		.input(one)
		.query(({ ctx, input }) => getCrusade(ctx.deps.db, input.workspaceId, input.crusadeId)),

	create: workspaceProcedure('content.edit')
		.input(workspaceInput.extend({ name }))
		.mutation(({ ctx, input }) => createCrusade(ctx.deps.db, actorOf(ctx.user, ctx), input.workspaceId, input)),

	rename: workspaceProcedure('content.edit')
		.input(one.extend({ name }))
		.mutation(async ({ ctx, input }) => {
			await renameCrusade(ctx.deps.db, input.workspaceId, input.crusadeId, input.name);
			return { ok: true as const };
		}),

	delete: workspaceProcedure('content.edit')
		.input(one)
		.mutation(({ ctx, input }) => deleteCrusade(ctx.deps.db, actorOf(ctx.user, ctx), input.workspaceId, input.crusadeId)),

	/** `{ ok: false, issues }` (field-addressed) when the document is invalid; else the frozen version. */
	publish: workspaceProcedure('content.edit')
		.input(one)
		.mutation(({ ctx, input }) => publishCrusade(ctx.deps.db, actorOf(ctx.user, ctx), input.workspaceId, input.crusadeId)),

	versions: workspaceProcedure('workspace.view')
		.input(one)
		.query(({ ctx, input }) => listCrusadeVersions(ctx.deps.db, input.workspaceId, input.crusadeId)),

	version: workspaceProcedure('workspace.view')
		.input(one.extend({ number: z.number().int().min(1) }))
		.query(({ ctx, input }) => crusadeVersion(ctx.deps.db, input.workspaceId, input.crusadeId, input.number))
});
