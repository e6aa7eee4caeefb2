import { initTRPC, TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import { DomainError, RateLimitedError, toTrpcCode } from '../errors';
import { can, type Action } from '../permissions';
import { membershipOf } from '../workspaces/service';
import type { Context, Meta } from './context';

/** One readable sentence from zod issues, e.g. "sent: expected number, received string". */
export function describeZodError(error: ZodError): string {
	return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

const t = initTRPC
	.context<Context>()
	.meta<Meta>()
	.create({
		errorFormatter({ shape, error }) {
			const zod = error.cause instanceof ZodError ? error.cause : null;
			const retryAfter = error.cause instanceof RateLimitedError ? error.cause.retryAfterSeconds : undefined;
			return {
				...shape,
				message: zod ? `Invalid input — ${describeZodError(zod)}` : shape.message,
				data: { ...shape.data, stack: undefined, fieldErrors: zod ? zod.flatten().fieldErrors : undefined, retryAfter }
			};
		}
	});

/** Domain errors thrown by services become tRPC errors with the mapped code and their message. */
const mapDomainErrors = t.middleware(async ({ next }) => {
	const result = await next();
	if (!result.ok && result.error.cause instanceof DomainError) {
		const cause = result.error.cause;
		throw new TRPCError({ code: toTrpcCode(cause), message: cause.message, cause });
	}
	return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.meta({ tier: 'public' }).use(mapDomainErrors);

const requireSession = t.middleware(({ ctx, meta, next }) => {
	if (!ctx.auth) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' });
	if (ctx.auth.session.mustRegisterPasskey && !meta?.allowPending) {
		throw new TRPCError({ code: 'FORBIDDEN', message: 'Register a new passkey before doing anything else.' });
	}
	return next({ ctx: { ...ctx, auth: ctx.auth, user: ctx.auth.user, session: ctx.auth.session } });
});

export const authedProcedure = t.procedure.meta({ tier: 'authed' }).use(mapDomainErrors).use(requireSession);

const workspaceInput = z.object({ workspaceId: z.uuid() });

/**
 * Member of the workspace named by `input.workspaceId` with a role that may do `action`.
 * The check reads the raw input, so it runs before (and regardless of) the procedure's own
 * input parsing: a non-member learns nothing from validation errors.
 */
export function workspaceProcedure(action: Action) {
	return t.procedure
		.meta({ tier: 'workspace', action })
		.use(mapDomainErrors)
		.use(requireSession)
		.use(async ({ ctx, getRawInput, next }) => {
			const parsed = workspaceInput.safeParse(await getRawInput());
			if (!parsed.success) throw new TRPCError({ code: 'BAD_REQUEST', message: 'Invalid input — workspaceId: expected a workspace id' });
			const member = await membershipOf(ctx.deps.db, ctx.user.id, { id: parsed.data.workspaceId });
			if (!member) throw new TRPCError({ code: 'FORBIDDEN', message: 'You are not a member of this workspace.' });
			if (!can(member.role, action)) throw new TRPCError({ code: 'FORBIDDEN', message: `Your role (${member.role}) does not allow this.` });
			return next({ ctx: { ...ctx, member } });
		});
}

export { workspaceInput };
