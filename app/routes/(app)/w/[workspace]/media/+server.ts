import { error, json } from '@sveltejs/kit';
import { database } from '$server/db';
import { DomainError, httpStatus } from '$server/errors';
import { MEDIA_MAX_BYTES, storeMediaAsset } from '$server/media/service';
import { can } from '$server/permissions';
import { membershipOf } from '$server/workspaces/service';
import type { RequestHandler } from './$types';

/**
 * Uploads one MMS image: the raw bytes as the body, its name in `x-file-name`. Operators and up;
 * the answer is the stored asset (or the one already holding the same bytes), or an error that
 * says what is wrong with the file.
 */
export const POST: RequestHandler = async ({ locals, params, request }) => {
	if (!locals.auth) error(401, 'Sign in to upload images.');
	const { db } = database();
	const member = await membershipOf(db, locals.auth.user.id, { slug: params.workspace });
	if (!member) error(404, 'Not found');
	if (!can(member.role, 'content.edit')) error(403, 'Viewers cannot upload images; ask an operator or admin.');
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (Number.isFinite(declared) && declared > MEDIA_MAX_BYTES) {
		error(413, `The image is ${Math.round(declared / 1000)} KB; carriers refuse MMS over ${Math.round(MEDIA_MAX_BYTES / 1000)} KB in total. Resize or compress it.`);
	}
	const name = decodeURIComponent(request.headers.get('x-file-name') ?? 'image');
	try {
		const data = Buffer.from(await request.arrayBuffer());
		const asset = await storeMediaAsset(db, locals.auth.user.id, member.workspaceId, { name, data });
		return json(asset, { status: 201 });
	} catch (e) {
		if (e instanceof DomainError) error(httpStatus(e), e.message);
		throw e;
	}
};
