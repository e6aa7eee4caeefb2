import { database } from '$server/db';
import { previewInvitation } from '$server/workspaces/invitations';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const invite = await previewInvitation(database().db, params.token);
	return {
		token: params.token,
		invite: invite ? { workspaceName: invite.workspaceName, role: invite.role, expiresAt: invite.expiresAt, state: invite.state } : null,
		user: locals.auth ? { displayName: locals.auth.user.displayName, email: locals.auth.user.email } : null
	};
};
