import { z } from 'zod';
import { CONSENT_BASES } from '../../../db/schema/leads';
import { FILE_ENCODINGS } from '../../leads/ingest/encoding';
import { DELIMITERS } from '../../leads/ingest/inspect';
import { PARSER_IDS } from '../../leads/ingest/parsers/types';
import { cancelImport, configureImport, getImport, importEvents, inspectImport, listImports, startImport } from '../../leads/imports';
import { router, workspaceInput, workspaceProcedure } from '../init';

const importInput = workspaceInput.extend({ importId: z.uuid() });
const readOptions = { encoding: z.enum(FILE_ENCODINGS).nullish(), delimiter: z.enum(DELIMITERS).nullish() };

export const importsRouter = router({
	list: workspaceProcedure('workspace.view')
		.input(workspaceInput.extend({ before: z.coerce.date().optional(), limit: z.number().int().min(1).max(100).default(25) }))
		.query(({ ctx, input }) => listImports(ctx.deps.db, ctx.member.workspaceId, input)),

	get: workspaceProcedure('workspace.view')
		.input(importInput)
		.query(({ ctx, input }) => getImport(ctx.deps.db, ctx.member.workspaceId, input.importId)),

	inspect: workspaceProcedure('content.edit')
		.input(importInput.extend(readOptions))
		.query(({ ctx, input }) => inspectImport(ctx.deps.db, ctx.member.workspaceId, input.importId, input)),

	configure: workspaceProcedure('content.edit')
		.input(
			importInput.extend({
				...readOptions,
				parser: z.enum(PARSER_IDS),
				mapping: z.record(z.string().max(200), z.string().max(40)).nullish(),
				consentBasis: z.enum(CONSENT_BASES),
				consentSource: z.string().trim().max(500).nullish(),
				consentCollectedAt: z.coerce.date().nullish()
			})
		)
		.mutation(({ ctx, input }) => configureImport(ctx.deps.db, ctx.member.workspaceId, input.importId, input)),

	start: workspaceProcedure('content.edit')
		.input(importInput)
		.mutation(({ ctx, input }) => startImport(ctx.deps.db, ctx.member.workspaceId, input.importId)),

	cancel: workspaceProcedure('content.edit')
		.input(importInput)
		.mutation(({ ctx, input }) => cancelImport(ctx.deps.db, ctx.member.workspaceId, input.importId)),

	events: workspaceProcedure('workspace.view')
		.input(importInput.extend({ afterId: z.number().int().min(0).default(0) }))
		.query(({ ctx, input }) => importEvents(ctx.deps.db, ctx.member.workspaceId, input.importId, input.afterId))
});
