import { messagingSettings, messagingSettingsSchema, updateMessagingSettings } from '../../messaging/settings';
import { audit } from '../../audit/service';
import { actorOf } from '../../auth/deps';
import { router, workspaceInput, workspaceProcedure } from '../init';

export const messagingRouter = router({
	settings: workspaceProcedure('workspace.view')
		.input(workspaceInput)
		.query(({ ctx }) => messagingSettings(ctx.deps.db, ctx.member.workspaceId)),

	updateSettings: workspaceProcedure('messaging.edit')
		.input(workspaceInput.extend(messagingSettingsSchema.shape))
		.mutation(async ({ ctx, input: { workspaceId: _w, ...settings } }) => {
			const saved = await updateMessagingSettings(ctx.deps.db, ctx.member.workspaceId, ctx.user.id, settings);
			// Compliance policy: who changed it, and to what, is kept.
			await audit(ctx.deps.db, actorOf(ctx.user, ctx), {
				action: 'messaging.settings_changed',
				workspaceId: ctx.member.workspaceId,
				targetType: 'workspace',
				targetId: ctx.member.workspaceId,
				data: { optOutPolicy: saved.optOutPolicy, requireConsent: saved.requireConsent, senderName: saved.senderName, companyName: saved.companyName }
			});
			return saved;
		})
});
