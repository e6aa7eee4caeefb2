import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closeCode, ForbiddenError, httpStatus, NotFoundError, RateLimitedError, toTrpcCode, UnauthenticatedError } from '../../server/errors';
import { describeZodError } from '../../server/trpc/init';

describe('domain error mapping', () => {
	it('maps each error to one tRPC code, HTTP status and close code', () => {
		expect([toTrpcCode(new UnauthenticatedError()), httpStatus(new UnauthenticatedError()), closeCode(new UnauthenticatedError())]).toEqual([
			'UNAUTHORIZED',
			401,
			4401
		]);
		expect([toTrpcCode(new ForbiddenError()), httpStatus(new ForbiddenError()), closeCode(new ForbiddenError())]).toEqual(['FORBIDDEN', 403, 4403]);
		expect(httpStatus(new NotFoundError())).toBe(404);
		const limited = new RateLimitedError(12);
		expect(httpStatus(limited)).toBe(429);
		expect(limited.message).toMatch(/12 s/);
	});

	it('describes zod errors in one readable line', () => {
		const result = z.object({ sent: z.number(), name: z.string().min(2) }).safeParse({ sent: 'x', name: 'a' });
		expect(result.success).toBe(false);
		if (!result.success) {
			const text = describeZodError(result.error);
			expect(text).toMatch(/^sent: .*number/);
			expect(text).toMatch(/name: .*2/);
		}
	});
});
