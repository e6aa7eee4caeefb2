import { error } from '@sveltejs/kit';
import { database } from '$server/db';
import { mediaAssetData } from '$server/media/service';
import { can } from '$server/permissions';
import { membershipOf } from '$server/workspaces/service';
import type { RequestHandler } from './$types';

/**
 * One MMS image of the workspace, for members only (others get the 404 of an image that does
 * not exist). Its bytes never change (an asset is its content hash), so browsers keep it.
 */
export const GET: RequestHandler = async ({ locals, params, request }) => {
	if (!locals.auth) error(401, 'Sign in to see this image.');
	const { db } = database();
	const member = await membershipOf(db, locals.auth.user.id, { slug: params.workspace });
	if (!member || !can(member.role, 'workspace.view') || !/^[0-9a-f-]{36}$/i.test(params.id)) error(404, 'Not found');
	const asset = await mediaAssetData(db, member.workspaceId, params.id);
	if (!asset) error(404, 'Not found');
	const etag = `"${asset.sha256}"`;
	const headers = {
		etag,
		'cache-control': 'private, max-age=31536000, immutable',
		'x-content-type-options': 'nosniff',
		'content-security-policy': "default-src 'none'"
	};
	if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
	return new Response(new Uint8Array(asset.data), { headers: { ...headers, 'content-type': asset.contentType, 'content-length': String(asset.data.length) } });
};
