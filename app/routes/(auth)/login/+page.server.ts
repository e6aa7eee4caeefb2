import { redirect } from '@sveltejs/kit';
import { safeNext } from '$lib/next';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.auth) redirect(303, safeNext(url.searchParams.get('next')));
};
