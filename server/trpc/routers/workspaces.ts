import { z } from 'zod';
import { AUDIT_ACTIONS, listAudit } from '../../audit/service';
import { actorOf } from '../../auth/deps';
import { acceptInvitation, checkInvitation, createInvitation, listInvitations, revokeInvitation } from '../../workspaces/invitations';
import { changeRole, createWorkspace, deleteWorkspace, leaveWorkspace, listMembers, listWorkspaces, removeMember, renameWorkspace, transferOwnership } from '../../workspaces/service';
import { authedProcedure, router, workspaceInput, workspaceProcedure } from '../init';
import { inviteToken, workspaceName } from '../schemas';

const userId = z.uuid();
const ok = { ok: true as const };

export const workspacesRouter = router({
	list: authedProcedure.query(({ ctx }) => listWorkspaces(ctx.deps.db, ctx.user.id)),

	create: authedProcedure.input(z.object({ name: workspaceName })).mutation(({ ctx, input }) => createWorkspace(ctx.deps.db, actorOf(ctx.user, ctx), input.name)),

	get: workspaceProcedure('workspace.view')
		.input(workspaceInput)
		.query(({ ctx }) => ({ id: ctx.member.workspaceId, slug: ctx.member.slug, name: ctx.member.name, role: ctx.member.role })),

	rename: workspaceProcedure('workspace.rename')
		.input(workspaceInput.extend({ name: workspaceName }))
		.mutation(async ({ ctx, input }) => {
			await renameWorkspace(ctx.deps.db, actorOf(ctx.user, ctx), ctx.member, input.name);
			return ok;
		}),

	delete: workspaceProcedure('workspace.delete')
		.input(workspaceInput.extend({ confirmation: z.string().max(100) }))
		.mutation(async ({ ctx, input }) => {
			await deleteWorkspace(ctx.deps.db, actorOf(ctx.user, ctx), ctx.member, input.confirmation);
			return ok;
		}),

	members: workspaceProcedure('members.view')
		.input(workspaceInput)
		.query(({ ctx }) => listMembers(ctx.deps.db, ctx.member.workspaceId)),

	changeRole: workspaceProcedure('members.manage')
		.input(workspaceInput.extend({ userId, role: z.enum(['admin', 'operator', 'viewer']) }))
		.mutation(async ({ ctx, input }) => {
			await changeRole(ctx.deps.db, actorOf(ctx.user, ctx), ctx.member, input.userId, input.role);
			return ok;
		}),

	removeMember: workspaceProcedure('members.manage')
		.input(workspaceInput.extend({ userId }))
		.mutation(async ({ ctx, input }) => {
			await removeMember(ctx.deps.db, actorOf(ctx.user, ctx), ctx.member, input.userId);
			return ok;
		}),

	leave: workspaceProcedure('workspace.view')
		.input(workspaceInput)
		.mutation(async ({ ctx }) => {
			await leaveWorkspace(ctx.deps.db, actorOf(ctx.user, ctx), ctx.member);
			return ok;
		}),

	transferOwnership: workspaceProcedure('ownership.transfer')
		.input(workspaceInput.extend({ userId }))
		.mutation(async ({ ctx, input }) => {
			await transferOwnership(ctx.deps.db, actorOf(ctx.user, ctx), ctx.member, input.userId);
			return ok;
		}),

	invitations: workspaceProcedure('members.invite')
		.input(workspaceInput)
		.query(({ ctx }) => listInvitations(ctx.deps.db, ctx.member.workspaceId)),

	invite: workspaceProcedure('members.invite')
		.input(
			workspaceInput.extend({
				role: z.enum(['admin', 'operator', 'viewer']),
				expiresInHours: z.number().int().min(1).max(24 * 30).default(72),
				note: z.string().trim().max(120).default('')
			})
		)
		.mutation(async ({ ctx, input }) => {
			await ctx.deps.limiter.consume('inviteIp', ctx.ip);
			await ctx.deps.limiter.consume('inviteAccount', ctx.user.id);
			const invite = await createInvitation(ctx.deps.db, actorOf(ctx.user, ctx), ctx.member, input);
			return { id: invite.id, expiresAt: invite.expiresAt, url: `${ctx.deps.rp.origin}/invite/${invite.token}` };
		}),

	revokeInvitation: workspaceProcedure('members.invite')
		.input(workspaceInput.extend({ invitationId: z.uuid() }))
		.mutation(async ({ ctx, input }) => {
			await revokeInvitation(ctx.deps.db, actorOf(ctx.user, ctx), ctx.member, input.invitationId);
			return ok;
		}),

	acceptInvitation: authedProcedure.input(z.object({ token: inviteToken })).mutation(async ({ ctx, input }) => {
		await ctx.deps.limiter.consume('inviteIp', ctx.ip);
		const actor = actorOf(ctx.user, ctx);
		await checkInvitation(ctx.deps.db, actor, input.token);
		const invite = await ctx.deps.db.transaction((tx) => acceptInvitation(tx, actor, input.token));
		return { slug: invite.workspaceSlug };
	}),

	audit: workspaceProcedure('audit.view')
		.input(
			workspaceInput.extend({
				action: z.enum(AUDIT_ACTIONS).optional(),
				actorId: z.uuid().optional(),
				before: z.number().int().positive().optional(),
				limit: z.number().int().min(1).max(200).default(50)
			})
		)
		.query(({ ctx, input }) => listAudit(ctx.deps.db, { ...input, workspaceId: ctx.member.workspaceId }))
});
