import { createHash } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { imageSize } from 'image-size';
import type { Database } from '../../db/client';
import { campaignVersions, mediaAssets } from '../../db/schema/index';
import { kilobytes, MMS_MEDIA_LIMITS, type MediaItem } from '../campaigns/templates/media';
import { BadInputError, ConflictError, FileTooLargeError, NotFoundError } from '../errors';

/**
 * MMS media: images a workspace uploads to attach to send steps. The bytes decide what a file
 * is (image-size reads the header), so a renamed text file or an SVG is refused however it is
 * labelled; one image is at most what carriers take for a whole message.
 */

/** What image-size calls the types carriers take, and their content types. */
const TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', gif: 'image/gif' };

export const MEDIA_MAX_BYTES = MMS_MEDIA_LIMITS.maxTotalBytes;

export interface MediaAsset extends MediaItem {
	width: number;
	height: number;
	createdAt: Date;
}

const columns = {
	assetId: mediaAssets.id,
	name: mediaAssets.name,
	contentType: mediaAssets.contentType,
	bytes: mediaAssets.bytes,
	width: mediaAssets.width,
	height: mediaAssets.height,
	createdAt: mediaAssets.createdAt
};

function cleanName(name: string): string {
	// eslint-disable-next-line no-control-regex -- control characters are what is being removed
	const base = name.replace(/[\u0000-\u001f\u007f/\\]+/g, ' ').trim().slice(0, 200);
	return base || 'image';
}

/** Checks and stores one image; the same bytes uploaded again return the asset already there. */
export async function storeMediaAsset(db: Database, userId: string, workspaceId: string, upload: { name: string; data: Buffer }): Promise<MediaAsset> {
	const name = cleanName(upload.name);
	if (upload.data.length === 0) throw new BadInputError(`${name} is empty.`);
	if (upload.data.length > MEDIA_MAX_BYTES) {
		throw new FileTooLargeError(`${name} is ${kilobytes(upload.data.length)}; carriers refuse MMS over ${kilobytes(MEDIA_MAX_BYTES)} in total. Resize or compress it and try again.`);
	}
	let size: ReturnType<typeof imageSize> | null = null;
	try {
		size = imageSize(upload.data);
	} catch {
		size = null;
	}
	const contentType = size?.type ? TYPES[size.type] : undefined;
	if (!size || !contentType || !size.width || !size.height) {
		const what = size?.type ? `a ${size.type.toUpperCase()} image` : 'not an image we can read';
		throw new BadInputError(`${name} is ${what}. MMS here takes JPEG, PNG and GIF images.`);
	}
	const sha256 = createHash('sha256').update(upload.data).digest('hex');
	const [inserted] = await db
		.insert(mediaAssets)
		.values({ workspaceId, name, contentType, bytes: upload.data.length, width: size.width, height: size.height, sha256, data: upload.data, createdBy: userId })
		.onConflictDoNothing({ target: [mediaAssets.workspaceId, mediaAssets.sha256] })
		.returning(columns);
	if (inserted) return inserted;
	const [existing] = await db
		.select(columns)
		.from(mediaAssets)
		.where(and(eq(mediaAssets.workspaceId, workspaceId), eq(mediaAssets.sha256, sha256)));
	if (!existing) throw new ConflictError('The image was removed while it was being uploaded; try again.');
	return existing;
}

export async function listMediaAssets(db: Database, workspaceId: string, limit = 200): Promise<MediaAsset[]> {
	return db.select(columns).from(mediaAssets).where(eq(mediaAssets.workspaceId, workspaceId)).orderBy(desc(mediaAssets.createdAt)).limit(limit);
}

/** The bytes of one asset of the workspace, for serving. */
export async function mediaAssetData(db: Database, workspaceId: string, assetId: string): Promise<{ contentType: string; data: Buffer; sha256: string } | null> {
	const [row] = await db
		.select({ contentType: mediaAssets.contentType, data: mediaAssets.data, sha256: mediaAssets.sha256 })
		.from(mediaAssets)
		.where(and(eq(mediaAssets.workspaceId, workspaceId), eq(mediaAssets.id, assetId)));
	return row ?? null;
}

/** Deletes an asset no published campaign version sends (a version is immutable, so what it freezes must stay). */
export async function deleteMediaAsset(db: Database, workspaceId: string, assetId: string): Promise<void> {
	const [used] = await db
		.select({ number: campaignVersions.number })
		.from(campaignVersions)
		.where(and(eq(campaignVersions.workspaceId, workspaceId), sql`strpos(${campaignVersions.content}::text, ${assetId}) > 0`))
		.limit(1);
	if (used) throw new ConflictError('A published campaign version sends this image, so it is kept. Unused images can be deleted.');
	const deleted = await db
		.delete(mediaAssets)
		.where(and(eq(mediaAssets.workspaceId, workspaceId), eq(mediaAssets.id, assetId)))
		.returning({ id: mediaAssets.id });
	if (deleted.length === 0) throw new NotFoundError('This image does not exist.');
}
