import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** Only a recovered session that still owes a passkey belongs here. */
export const load: PageServerLoad = ({ locals }) => {
	if (!locals.auth) redirect(303, '/recover');
	if (!locals.auth.session.mustRegisterPasskey) redirect(303, '/');
	return { email: locals.auth.user.email, displayName: locals.auth.user.displayName };
};
