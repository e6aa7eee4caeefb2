import { router } from './init';
import { accountRouter } from './routers/account';
import { authRouter } from './routers/auth';
import { campaignsRouter } from './routers/campaigns';
import { crusadesRouter } from './routers/crusades';
import { dncRouter } from './routers/dnc';
import { documentsRouter } from './routers/documents';
import { dryrunRouter } from './routers/dryrun';
import { importsRouter } from './routers/imports';
import { leadsRouter } from './routers/leads';
import { mediaRouter } from './routers/media';
import { messagingRouter } from './routers/messaging';
import { numbersRouter } from './routers/numbers';
import { overviewRouter } from './routers/overview';
import { systemRouter } from './routers/system';
import { workspacesRouter } from './routers/workspaces';

export const appRouter = router({
	system: systemRouter,
	auth: authRouter,
	account: accountRouter,
	workspaces: workspacesRouter,
	documents: documentsRouter,
	leads: leadsRouter,
	dnc: dncRouter,
	imports: importsRouter,
	campaigns: campaignsRouter,
	crusades: crusadesRouter,
	dryrun: dryrunRouter,
	numbers: numbersRouter,
	messaging: messagingRouter,
	media: mediaRouter,
	overview: overviewRouter
});

export type AppRouter = typeof appRouter;
