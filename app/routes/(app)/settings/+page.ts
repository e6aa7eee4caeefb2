import { trpcWith } from '$lib/trpc';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends }) => {
	depends('account:settings');
	const api = trpcWith(fetch);
	const [passkeys, sessions, recovery] = await Promise.all([
		api.account.passkeys.query(),
		api.account.sessions.query(),
		api.account.recoveryStatus.query()
	]);
	return { passkeys, sessions, recovery };
};
