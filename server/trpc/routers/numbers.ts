import { z } from 'zod';
import { MAX_SENDER_CSV_CHARS, importSenderCsv, previewSenderCsv } from '../../numbers/import';
import { SENDER_STATUSES, senderNumberSchema } from '../../numbers/sender-number';
import { createSenderNumber, deleteSenderNumbers, searchSenderNumbers, senderDraftSchema, senderQuerySchema, setSenderStatus, updateSenderNumber } from '../../numbers/service';
import { audit } from '../../audit/service';
import { actorOf } from '../../auth/deps';
import { router, workspaceInput, workspaceProcedure } from '../init';

const f = senderNumberSchema.shape;
/**
 * A partial edit. Built from the fields without their defaults: a patch that leaves `status`
 * out must not reactivate a paused number. The service checks the merged whole.
 */
const senderPatch = z
	.object({
		e164: f.e164,
		providerAccount: f.providerAccount,
		brandId: f.brandId,
		campaignId: f.campaignId,
		areaCode: f.areaCode,
		state: f.state,
		status: f.status.unwrap(),
		dailyCap: f.dailyCap.unwrap()
	})
	.partial()
	.strict();

const ids = z.array(z.uuid()).min(1, 'Pick at least one number').max(10_000);
const csvText = z.string().min(1, 'The file is empty.').max(MAX_SENDER_CSV_CHARS, 'The file is larger than 900 KB: import at most 10,000 numbers at a time.');

export const numbersRouter = router({
	list: workspaceProcedure('workspace.view')
		.input(workspaceInput.extend(senderQuerySchema.shape))
		.query(({ ctx, input: { workspaceId: _w, ...query } }) => searchSenderNumbers(ctx.deps.db, ctx.member.workspaceId, query)),

	create: workspaceProcedure('numbers.edit')
		.input(workspaceInput.extend({ number: senderDraftSchema }))
		.mutation(async ({ ctx, input }) => {
			const created = await createSenderNumber(ctx.deps.db, ctx.member.workspaceId, ctx.user.id, input.number);
			await audit(ctx.deps.db, actorOf(ctx.user, ctx), { action: 'numbers.added', workspaceId: ctx.member.workspaceId, targetType: 'sender_number', targetId: created.id, data: { e164: created.e164, brandId: created.brandId, campaignId: created.campaignId } });
			return created;
		}),

	update: workspaceProcedure('numbers.edit')
		.input(workspaceInput.extend({ id: z.uuid(), patch: senderPatch }))
		.mutation(async ({ ctx, input }) => {
			const updated = await updateSenderNumber(ctx.deps.db, ctx.member.workspaceId, input.id, input.patch);
			await audit(ctx.deps.db, actorOf(ctx.user, ctx), { action: 'numbers.updated', workspaceId: ctx.member.workspaceId, targetType: 'sender_number', targetId: updated.id, data: { e164: updated.e164, changed: input.patch } });
			return updated;
		}),

	delete: workspaceProcedure('numbers.edit')
		.input(workspaceInput.extend({ ids }))
		.mutation(async ({ ctx, input }) => {
			const deleted = await deleteSenderNumbers(ctx.deps.db, ctx.member.workspaceId, input.ids);
			if (deleted > 0) await audit(ctx.deps.db, actorOf(ctx.user, ctx), { action: 'numbers.deleted', workspaceId: ctx.member.workspaceId, targetType: 'sender_number', data: { count: deleted, ids: input.ids.slice(0, 100) } });
			return { deleted };
		}),

	setStatus: workspaceProcedure('numbers.edit')
		.input(workspaceInput.extend({ ids, status: z.enum(SENDER_STATUSES) }))
		.mutation(async ({ ctx, input }) => {
			const changed = await setSenderStatus(ctx.deps.db, ctx.member.workspaceId, input.ids, input.status);
			if (changed > 0) await audit(ctx.deps.db, actorOf(ctx.user, ctx), { action: 'numbers.status_changed', workspaceId: ctx.member.workspaceId, targetType: 'sender_number', data: { status: input.status, count: changed, ids: input.ids.slice(0, 100) } });
			return { changed };
		}),

	previewCsv: workspaceProcedure('numbers.edit')
		.input(workspaceInput.extend({ text: csvText }))
		.mutation(({ input }) => previewSenderCsv(input.text)),

	importCsv: workspaceProcedure('numbers.edit')
		.input(workspaceInput.extend({ text: csvText }))
		.mutation(async ({ ctx, input }) => {
			const summary = await importSenderCsv(ctx.deps.db, ctx.member.workspaceId, ctx.user.id, input.text);
			const { created, updated, unchanged, rejected } = summary;
			await audit(ctx.deps.db, actorOf(ctx.user, ctx), { action: 'numbers.imported', workspaceId: ctx.member.workspaceId, targetType: 'sender_number', data: { created, updated, unchanged, rejected } });
			return summary;
		})
});
