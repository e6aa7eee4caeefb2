import { z } from 'zod';
import { config } from '../../config';
import { publicProcedure, router } from '../init';

export const systemRouter = router({
	/** Round trip used by the shell's connection indicator; the input is checked like any other. */
	ping: publicProcedure
		.input(z.object({ sent: z.number().finite().nonnegative() }))
		.query(({ input }) => ({ pong: true as const, sent: input.sent, at: Date.now() })),
	/** The browser reports unexpected client-side errors here so they land in the server's logs. */
	reportClientError: publicProcedure
		.input(
			z.object({
				message: z.string().min(1).max(2_000),
				url: z.string().max(2_000),
				stack: z.string().max(20_000).optional()
			})
		)
		.mutation(({ input, ctx }) => {
			ctx.log.warn({ client: input, ip: ctx.ip, userAgent: ctx.userAgent }, 'client error');
			return { received: true as const };
		}),
	info: publicProcedure.query(() => ({ name: 'Muster', role: config().ROLE, node: process.version }))
});
