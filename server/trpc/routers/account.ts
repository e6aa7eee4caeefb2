import { z } from 'zod';
import { listPasskeys, regenerateCodes, removePasskey, renamePasskey, revokeOtherSessions, revokeSession } from '../../auth/account';
import { addPasskeyOptions, addPasskeyVerify } from '../../auth/passkey-flows';
import { unusedRecoveryCodeCount } from '../../auth/recovery';
import { describeDevice } from '../../auth/device';
import { listSessions } from '../../auth/session';
import { authedProcedure, router } from '../init';
import { registrationResponse } from '../schemas';

const passkeyName = z.string().trim().min(1, 'Give the passkey a name.').max(60, 'Keep passkey names under 60 characters.');

export const accountRouter = router({
	passkeys: authedProcedure.query(({ ctx }) => listPasskeys(ctx.deps, ctx.user.id)),

	addPasskeyOptions: authedProcedure.meta({ allowPending: true }).mutation(({ ctx }) => addPasskeyOptions(ctx.deps, ctx.user, ctx.session, ctx)),

	addPasskeyVerify: authedProcedure
		.meta({ allowPending: true })
		.input(z.object({ response: registrationResponse, name: passkeyName.nullable() }))
		.mutation(({ ctx, input }) => addPasskeyVerify(ctx.deps, ctx.user, ctx.session, input.response, input.name, ctx)),

	renamePasskey: authedProcedure
		.input(z.object({ id: z.string().min(1).max(1024), name: passkeyName }))
		.mutation(async ({ ctx, input }) => {
			await renamePasskey(ctx.deps, ctx.user, input.id, input.name, ctx);
			return { ok: true as const };
		}),

	removePasskey: authedProcedure.input(z.object({ id: z.string().min(1).max(1024) })).mutation(async ({ ctx, input }) => {
		await removePasskey(ctx.deps, ctx.user, input.id, ctx);
		return { ok: true as const };
	}),

	sessions: authedProcedure.query(async ({ ctx }) => {
		const rows = await listSessions(ctx.deps.db, ctx.user.id);
		// Session ids are hashes of the cookie; the client gets them to revoke, never the token.
		return rows.map((s) => ({ ...s, device: describeDevice(s.userAgent), current: s.id === ctx.session.id }));
	}),

	revokeSession: authedProcedure.input(z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) })).mutation(async ({ ctx, input }) => {
		await revokeSession(ctx.deps, ctx.user, input.id, ctx);
		return { ok: true as const };
	}),

	revokeOtherSessions: authedProcedure.mutation(async ({ ctx }) => ({ revoked: await revokeOtherSessions(ctx.deps, ctx.user, ctx.session, ctx) })),

	recoveryStatus: authedProcedure.query(async ({ ctx }) => ({ unused: await unusedRecoveryCodeCount(ctx.deps.db, ctx.user.id) })),

	regenerateRecoveryCodes: authedProcedure.mutation(async ({ ctx }) => ({ codes: await regenerateCodes(ctx.deps, ctx.user, ctx) }))
});
