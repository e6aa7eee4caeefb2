import { error } from '@sveltejs/kit';
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
	const chunks = streamRejects(db, detail.id);
	const encoder = new TextEncoder();
	const body = new ReadableStream<Uint8Array>({
		async pull(controller) {
			try {
				const next = await chunks.next();
				if (next.done) controller.close();
				else controller.enqueue(encoder.encode(next.value));
			} catch (e) {
				controller.error(e);
			}
		},
		async cancel() {
			await chunks.return(undefined);
		}
	});
	const name = `${detail.fileName.replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '_') || 'import'}-rejects.csv`;
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'no-store'
		}
	});
};
