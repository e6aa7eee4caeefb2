import { redirect } from '@sveltejs/kit';
import { database } from '$server/db';
import { listWorkspaces } from '$server/workspaces/service';
import type { PageServerLoad } from './$types';

/** The front door: into your first workspace when signed in, to the sign-in page otherwise. */
export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.auth) redirect(303, '/login');
	const [first] = await listWorkspaces(database().db, locals.auth.user.id);
	redirect(303, first ? `/w/${first.slug}` : '/workspaces/new');
};
