import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent }) => {
	const { permissions } = await parent();
	if (!permissions['content.edit']) error(403, 'Only operators and above can import leads.');
	return {};
};
