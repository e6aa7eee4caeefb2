import { briefDocName, projectedBrief } from '$server/brief/kind';
import { database } from '$server/db';
import type { PageServerLoad } from './$types';

/**
 * The workspace home: the brief's name and its last projected text, so the page shows the
 * brief on first paint (read-only) before the live editor takes over in the browser.
 */
export const load: PageServerLoad = async ({ parent }) => {
	const { workspace } = await parent();
	const { db } = database();
	return { brief: { docName: briefDocName(workspace.id), text: await projectedBrief(db, workspace.id) } };
};
