import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '$server/trpc/root';

/** The browser's tRPC client (types only come from the server). */
export const trpc = createTRPCClient<AppRouter>({
	links: [httpBatchLink({ url: '/api/trpc' })]
});

/**
 * A client on SvelteKit's `fetch`, for load functions: relative URLs and the visitor's
 * cookie work during server rendering too.
 */
export function trpcWith(fetch: typeof globalThis.fetch) {
	return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: '/api/trpc', fetch })] });
}
