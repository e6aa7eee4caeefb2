import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '$server/trpc/root';

/** The browser's tRPC client (types only come from the server). */
export const trpc = createTRPCClient<AppRouter>({
	links: [httpBatchLink({ url: '/api/trpc' })]
});
