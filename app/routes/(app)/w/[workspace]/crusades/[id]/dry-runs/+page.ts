import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

/** The crusade's runs are listed on the crusade itself. */
export const load: PageLoad = ({ params }) => {
	redirect(307, `/w/${params.workspace}/crusades/${params.id}#dryrun-title`);
};
