import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { leadImports } from '../../../db/schema/leads';
import { actorOf } from '../../auth/deps';
import { bulkDnc, bulkTag, bulkTargetSchema, tagSchema } from '../../leads/bulk';
import { LEAD_SORTS, leadFilterSchema } from '../../leads/filter';
import { getLead } from '../../leads/lead-page';
import { createSavedFilter, deleteSavedFilter, filterName, listSavedFilters, renameSavedFilter } from '../../leads/saved-filters';
import { countLeads, searchLeads } from '../../leads/search';
import { router, workspaceInput, workspaceProcedure } from '../init';

const ok = { ok: true as const };
const reason = z.string().trim().max(200).default('');

const savedFiltersRouter = router({
	list: workspaceProcedure('workspace.view')
		.input(workspaceInput)
		.query(({ ctx }) => listSavedFilters(ctx.deps.db, ctx.member.workspaceId)),

	create: workspaceProcedure('content.edit')
		.input(workspaceInput.extend({ name: filterName, filter: leadFilterSchema }))
		.mutation(({ ctx, input }) => createSavedFilter(ctx.deps.db, ctx.member.workspaceId, ctx.user.id, input)),

	rename: workspaceProcedure('content.edit')
		.input(workspaceInput.extend({ id: z.uuid(), name: filterName }))
		.mutation(async ({ ctx, input }) => {
			await renameSavedFilter(ctx.deps.db, ctx.member.workspaceId, input.id, input.name);
			return ok;
		}),

	delete: workspaceProcedure('content.edit')
		.input(workspaceInput.extend({ id: z.uuid() }))
		.mutation(async ({ ctx, input }) => {
			await deleteSavedFilter(ctx.deps.db, ctx.member.workspaceId, input.id);
			return ok;
		})
});

export const leadsRouter = router({
	search: workspaceProcedure('workspace.view')
		.input(
			workspaceInput.extend({
				filter: leadFilterSchema.default({}),
				sort: z.enum(LEAD_SORTS).default('created'),
				cursor: z.string().max(1000).nullish()
			})
		)
		.query(({ ctx, input }) => searchLeads(ctx.deps.db, ctx.member.workspaceId, input)),

	/** How many leads a filter matches (up to 10,000; null if counting takes too long). */
	count: workspaceProcedure('workspace.view')
		.input(workspaceInput.extend({ filter: leadFilterSchema.default({}) }))
		.query(({ ctx, input }) => countLeads(ctx.deps.db, ctx.member.workspaceId, input.filter)),

	get: workspaceProcedure('workspace.view')
		.input(workspaceInput.extend({ leadId: z.uuid() }))
		.query(({ ctx, input }) => getLead(ctx.deps.db, ctx.member.workspaceId, input.leadId)),

	/** The files leads came from, newest first, for the source-file filter. */
	sourceFiles: workspaceProcedure('workspace.view')
		.input(workspaceInput)
		.query(({ ctx }) =>
			ctx.deps.db
				.select({ id: leadImports.id, fileName: leadImports.fileName, createdAt: leadImports.createdAt })
				.from(leadImports)
				.where(and(eq(leadImports.workspaceId, ctx.member.workspaceId)))
				.orderBy(desc(leadImports.createdAt))
				.limit(200)
		),

	bulkTag: workspaceProcedure('content.edit')
		.input(workspaceInput.extend({ target: bulkTargetSchema, tag: tagSchema, remove: z.boolean().default(false) }))
		.mutation(({ ctx, input }) => bulkTag(ctx.deps.db, ctx.member.workspaceId, input)),

	bulkDnc: workspaceProcedure('content.edit')
		.input(workspaceInput.extend({ target: bulkTargetSchema, reason }))
		.mutation(({ ctx, input }) => bulkDnc(ctx.deps.db, actorOf(ctx.user, ctx), ctx.member.workspaceId, input)),

	savedFilters: savedFiltersRouter
});
