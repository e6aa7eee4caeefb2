import { redirect } from '@sveltejs/kit';
import { database } from '$server/db';
import { listWorkspaces } from '$server/workspaces/service';
import type { LayoutServerLoad } from './$types';

/** Every page in the signed-in shell: who you are and which workspaces you can switch to. */
export const load: LayoutServerLoad = async ({ locals, url }) => {
	if (!locals.auth) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	const { id, email, displayName } = locals.auth.user;
	return {
		user: { id, email, displayName },
		workspaces: await listWorkspaces(database().db, id)
	};
};
