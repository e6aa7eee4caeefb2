import { error, redirect } from '@sveltejs/kit';
import { database } from '$server/db';
import { ACTIONS, can, type Action } from '$server/permissions';
import { listWorkspaces, membershipOf } from '$server/workspaces/service';
import type { LayoutServerLoad } from './$types';

/**
 * A workspace by slug. Signed-out visitors go to sign in and come back; anyone who is not a
 * member gets the same 404 as a slug that does not exist, so the page leaks nothing.
 */
export const load: LayoutServerLoad = async ({ locals, params, url }) => {
	if (!locals.auth) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	const { db } = database();
	const { id, email, displayName } = locals.auth.user;
	const member = await membershipOf(db, id, { slug: params.workspace });
	if (!member) error(404, 'Page not found');
	const permissions = Object.fromEntries(ACTIONS.map((action) => [action, can(member.role, action)])) as Record<Action, boolean>;
	return {
		workspace: { id: member.workspaceId, slug: member.slug, name: member.name, role: member.role },
		workspaces: await listWorkspaces(db, id),
		user: { id, email, displayName },
		permissions
	};
};
