import { error } from '@sveltejs/kit';
import { csvResponse } from '$lib/server/csv-response';
import { database } from '$server/db';
import { getImport, streamRejects } from '$server/leads/imports';
import { can } from '$server/permissions';
import { membershipOf } from '$server/workspaces/service';
import type { RequestHandler } from './$types';

/**
 * The rejected rows of an import as CSV (row, reason, then the file's own columns), streamed
 * in pages so a million rejects never sit in memory. Members only; others get the same 404
 * as an import that does not exist.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.auth) error(401, 'Sign in to download rejected rows.');
	const { db } = database();
	const member = await membershipOf(db, locals.auth.user.id, { slug: params.workspace });
	if (!member || !can(member.role, 'workspace.view') || !/^[0-9a-f-]{36}$/i.test(params.id)) error(404, 'Not found');
	const detail = await getImport(db, member.workspaceId, params.id).catch(() => null);
	if (!detail) error(404, 'Not found');
	const name = `${detail.fileName.replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '_') || 'import'}-rejects.csv`;
	return csvResponse(streamRejects(db, detail.id), name);
};
