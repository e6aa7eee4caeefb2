import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { DomainError, toTrpcCode } from '../errors';
import type { Context } from './context';

/** One readable sentence from zod issues, e.g. "sent: expected number, received string". */
export function describeZodError(error: ZodError): string {
	return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

const t = initTRPC.context<Context>().create({
	errorFormatter({ shape, error }) {
		const zod = error.cause instanceof ZodError ? error.cause : null;
		return {
			...shape,
			message: zod ? `Invalid input — ${describeZodError(zod)}` : shape.message,
			data: {
				...shape.data,
				stack: undefined,
				fieldErrors: zod ? zod.flatten().fieldErrors : undefined
			}
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
export const publicProcedure = t.procedure.use(mapDomainErrors);
