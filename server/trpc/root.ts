import { router } from './init';
import { accountRouter } from './routers/account';
import { authRouter } from './routers/auth';
import { documentsRouter } from './routers/documents';
import { systemRouter } from './routers/system';
import { workspacesRouter } from './routers/workspaces';

export const appRouter = router({
	system: systemRouter,
	auth: authRouter,
	account: accountRouter,
	workspaces: workspacesRouter,
	documents: documentsRouter
});

export type AppRouter = typeof appRouter;
