import { z } from 'zod';
import { recoverWithCode, recoverWithLink, requestRecoveryEmail } from '../../auth/account';
import { audit } from '../../audit/service';
import { actorOf } from '../../auth/deps';
import { loginOptions, loginVerify, signupOptions, signupVerify } from '../../auth/passkey-flows';
import { clearedSessionCookie, invalidateSession, sessionCookie } from '../../auth/session';
import { secureCookies } from '../../auth/index';
import { previewInvitation } from '../../workspaces/invitations';
import { authedProcedure, publicProcedure, router } from '../init';
import { authenticationResponse, displayName, email, inviteToken, registrationResponse, workspaceName } from '../schemas';

export const authRouter = router({
	me: authedProcedure.meta({ allowPending: true }).query(({ ctx }) => ({ user: ctx.user, mustRegisterPasskey: ctx.session.mustRegisterPasskey })),

	signupOptions: publicProcedure
		.input(z.object({ email, displayName, workspaceName: workspaceName.nullable(), inviteToken: inviteToken.nullable() }))
		.mutation(({ ctx, input }) => signupOptions(ctx.deps, input, ctx)),

	signupVerify: publicProcedure.input(z.object({ response: registrationResponse })).mutation(async ({ ctx, input }) => {
		const result = await signupVerify(ctx.deps, input.response, ctx);
		ctx.setCookie(sessionCookie(result.token, result.session.expiresAt, { secure: secureCookies() }));
		return { user: result.user, recoveryCodes: result.recoveryCodes, workspaceSlug: result.workspaceSlug };
	}),

	loginOptions: publicProcedure
		.input(z.object({ email: email.nullable() }))
		.mutation(({ ctx, input }) => loginOptions(ctx.deps, input.email, ctx)),

	loginVerify: publicProcedure.input(z.object({ response: authenticationResponse })).mutation(async ({ ctx, input }) => {
		const result = await loginVerify(ctx.deps, input.response, ctx);
		ctx.setCookie(sessionCookie(result.token, result.session.expiresAt, { secure: secureCookies() }));
		return { user: result.user };
	}),

	recoverWithCode: publicProcedure
		.input(z.object({ email, code: z.string().trim().min(1, 'Enter a recovery code.').max(40) }))
		.mutation(async ({ ctx, input }) => {
			const { token, session } = await recoverWithCode(ctx.deps, input.email, input.code, ctx);
			ctx.setCookie(sessionCookie(token, session.expiresAt, { secure: secureCookies() }));
			return { mustRegisterPasskey: true as const };
		}),

	recoveryEmailAvailable: publicProcedure.query(({ ctx }) => ({ available: ctx.deps.mailer !== null })),

	requestRecoveryEmail: publicProcedure.input(z.object({ email })).mutation(async ({ ctx, input }) => {
		await requestRecoveryEmail(ctx.deps, input.email, ctx);
		return { sent: true as const };
	}),

	recoverWithLink: publicProcedure.input(z.object({ token: z.string().max(100) })).mutation(async ({ ctx, input }) => {
		const { token, session } = await recoverWithLink(ctx.deps, input.token, ctx);
		ctx.setCookie(sessionCookie(token, session.expiresAt, { secure: secureCookies() }));
		return { mustRegisterPasskey: true as const };
	}),

	invitePreview: publicProcedure.input(z.object({ token: z.string().max(100) })).query(async ({ ctx, input }) => {
		const invite = await previewInvitation(ctx.deps.db, input.token);
		return invite ? { workspaceName: invite.workspaceName, role: invite.role, expiresAt: invite.expiresAt, state: invite.state } : null;
	}),

	logout: authedProcedure.meta({ allowPending: true }).mutation(async ({ ctx }) => {
		await invalidateSession(ctx.deps.db, ctx.session.id);
		await audit(ctx.deps.db, actorOf(ctx.user, ctx), { action: 'user.logged_out', targetType: 'user', targetId: ctx.user.id });
		ctx.setCookie(clearedSessionCookie({ secure: secureCookies() }));
		return { ok: true as const };
	})
});
