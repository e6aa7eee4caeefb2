import { redirect } from '@sveltejs/kit';
import { secureCookies } from '$server/auth/index';
import { SESSION_COOKIE, invalidateSession } from '$server/auth/session';
import { database } from '$server/db';
import type { Actions, PageServerLoad } from './$types';

/** Signing out is a POST (a form in the account menu); a plain visit just goes home. */
export const load: PageServerLoad = () => {
	redirect(303, '/');
};

export const actions: Actions = {
	default: async ({ locals, cookies }) => {
		if (locals.auth) await invalidateSession(database().db, locals.auth.session.id);
		cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies() });
		redirect(303, '/login');
	}
};
