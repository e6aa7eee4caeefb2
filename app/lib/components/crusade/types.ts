import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '$server/trpc/root';

type Out = inferRouterOutputs<AppRouter>;
export type CrusadeSummary = Out['crusades']['get'];
export type CrusadeVersion = Out['crusades']['versions'][number];
export type CampaignOption = Out['campaigns']['list'][number];
export type RunSummary = Out['dryrun']['list'][number];
