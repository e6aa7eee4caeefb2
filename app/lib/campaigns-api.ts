import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '$server/trpc/root';

/** Campaign data as the browser receives it over tRPC (dates arrive as ISO strings). */
type Outputs = inferRouterOutputs<AppRouter>;
export type CampaignRow = Outputs['campaigns']['get'];
export type SavedFilterRow = Outputs['leads']['savedFilters']['list'][number];
