import type { IncomingMessage, ServerResponse } from 'node:http';
import { FileStore } from '@tus/file-store';
import { Server as TusServer } from '@tus/server';
import type { Logger } from 'pino';
import type { Database } from '../../db/client';
import { readCookie, validateSession } from '../auth/session';
import { can } from '../permissions';
import { membershipOf } from '../workspaces/service';
import { importOfUpload, type OnUploadComplete } from './import-row';
import { checkFileName, checkFileSize, checkFileType } from './upload-rules';

/** Where the door listens; tus-js-client is pointed here. */
export const UPLOADS_PATH = '/api/uploads';
/** Set on the response that finishes an upload (and on HEAD of a finished one). */
export const IMPORT_ID_HEADER = 'Muster-Import-Id';

export interface UploadDoorOptions {
	db: Database;
	directory: string;
	maxBytes: number;
	/** The site's origin; writes from any other origin are refused (CSRF). */
	origin: string;
	onComplete: OnUploadComplete;
	log: Logger;
}

export interface UploadDoor {
	/** Handles the request when it is for the door; false when it is not. */
	handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

interface Uploader {
	userId: string;
	workspaceId: string;
}

/** The tus `Upload-Metadata` header: comma-separated `key base64value` pairs. */
export function parseUploadMetadata(header: string | null | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	if (!header) return out;
	for (const pair of header.split(',')) {
		const [key, value] = pair.trim().split(' ');
		if (!key) continue;
		out[key] = value ? Buffer.from(value, 'base64').toString('utf8') : '';
	}
	return out;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** tus's default upload ids: 16 random bytes in hex. */
const UPLOAD_ID = /^[0-9a-f]{32}$/;

/** Answers with a refusal (JSON, like every API error) and returns false: "not allowed". */
function deny(res: ServerResponse, status: number, code: string, message: string): false {
	// A refused PATCH may still be sending its body; closing saves reading it.
	res.writeHead(status, { 'content-type': 'application/json', 'tus-resumable': '1.0.0', 'cache-control': 'no-store', connection: 'close' });
	res.end(JSON.stringify({ error: { code, message } }));
	return false;
}

/**
 * The resumable upload door (tus 1.0 over @tus/server, files under UPLOAD_DIR). Every
 * request is authenticated with the session cookie; creating needs operator or above in the
 * workspace named in the metadata, continuing needs the same in the upload's workspace
 * (checking an upload's offset is also open to the member who started it). Uploads are read
 * back by the ingest job from disk, never over HTTP, so GET is not served.
 */
export function createUploadDoor(options: UploadDoorOptions): UploadDoor {
	const { db, log } = options;
	const store = new FileStore({ directory: options.directory });
	const uploaders = new WeakMap<IncomingMessage, Uploader>();
	const nodeRequest = (req: unknown): IncomingMessage | undefined =>
		(req as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;

	const tus = new TusServer({
		path: UPLOADS_PATH,
		datastore: store,
		maxSize: options.maxBytes,
		relativeLocation: true,
		respectForwardedHeaders: false,
		disableTerminationForFinishedUploads: true,
		async onUploadCreate(req, upload) {
			const who = uploaders.get(nodeRequest(req) as IncomingMessage);
			if (!who) throw { status_code: 401, body: 'Sign in to upload files.\n' };
			// Who uploaded is what the server saw, never what the client wrote in the metadata.
			return { metadata: { ...upload.metadata, workspaceId: who.workspaceId, userId: who.userId } };
		},
		async onUploadFinish(_req, upload) {
			const meta = upload.metadata ?? {};
			const made = await options.onComplete(db, {
				workspaceId: meta.workspaceId ?? '',
				uploadId: upload.id,
				fileName: meta.filename ?? upload.id,
				fileSize: upload.size ?? upload.offset,
				userId: meta.userId ?? ''
			});
			log.info({ uploadId: upload.id, importId: made.id, bytes: upload.size }, 'upload finished');
			return { headers: { [IMPORT_ID_HEADER]: made.id } };
		},
		onResponseError(_req, err) {
			if (!('status_code' in err)) log.error({ err }, 'upload failed');
			return undefined;
		}
	});

	async function authorise(req: IncomingMessage, res: ServerResponse, method: string, path: string): Promise<boolean> {
		const auth = await validateSession(db, readCookie(req.headers.cookie));
		if (!auth || auth.session.mustRegisterPasskey) return deny(res, 401, 'UNAUTHENTICATED', 'Sign in to upload files.');
		const userId = auth.user.id;

		if (method === 'POST') {
			const meta = parseUploadMetadata(req.headers['upload-metadata'] as string | undefined);
			const workspaceId = meta.workspaceId ?? '';
			if (!UUID.test(workspaceId)) return deny(res, 400, 'BAD_INPUT', 'The upload must name its workspace (workspaceId in Upload-Metadata).');
			const member = await membershipOf(db, userId, { id: workspaceId });
			if (!member) return deny(res, 403, 'FORBIDDEN', 'You are not a member of this workspace.');
			if (!can(member.role, 'content.edit')) {
				return deny(res, 403, 'FORBIDDEN', `Your role (${member.role}) cannot upload files. Ask an admin to make you an operator.`);
			}
			const fileName = meta.filename ?? '';
			const lengthHeader = req.headers['upload-length'];
			const size = typeof lengthHeader === 'string' && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
			for (const check of [checkFileName(fileName), checkFileType(fileName, meta.filetype ?? ''), checkFileSize(size, options.maxBytes)]) {
				if (!check.ok) return deny(res, check.status, check.status === 413 ? 'TOO_LARGE' : 'BAD_INPUT', check.message);
			}
			uploaders.set(req, { userId, workspaceId });
			return true;
		}

		const id = path.slice(UPLOADS_PATH.length + 1);
		if (!UPLOAD_ID.test(id)) return deny(res, 404, 'NOT_FOUND', 'No such upload.');
		let upload: Awaited<ReturnType<FileStore['getUpload']>>;
		try {
			upload = await store.getUpload(id);
		} catch {
			return deny(res, 404, 'NOT_FOUND', 'This upload is gone (it was finished, cancelled or cleaned up). Start it again.');
		}
		const workspaceId = upload.metadata?.workspaceId ?? '';
		const member = UUID.test(workspaceId) ? await membershipOf(db, userId, { id: workspaceId }) : null;
		if (!member) return deny(res, 403, 'FORBIDDEN', 'You do not have access to this upload.');
		const mayWrite = can(member.role, 'content.edit');
		const isUploader = upload.metadata?.userId === userId;
		if (method === 'HEAD' ? !(mayWrite || isUploader) : !mayWrite) {
			return deny(res, 403, 'FORBIDDEN', `Your role (${member.role}) cannot upload files to this workspace.`);
		}
		// A client whose last PATCH's answer was lost learns the import from HEAD; if making
		// it failed at the end of the upload, this is where it is made after all.
		if (method === 'HEAD' && upload.size !== undefined && upload.offset === upload.size) {
			const made =
				(await importOfUpload(db, workspaceId, id)) ??
				(await options.onComplete(db, { workspaceId, uploadId: id, fileName: upload.metadata?.filename ?? id, fileSize: upload.size, userId: upload.metadata?.userId ?? userId }));
			res.setHeader(IMPORT_ID_HEADER, made.id);
		}
		return true;
	}

	return {
		async handle(req, res) {
			const path = (req.url ?? '').split('?')[0] ?? '';
			if (path !== UPLOADS_PATH && !path.startsWith(`${UPLOADS_PATH}/`)) return false;
			const method = (req.headers['x-http-method-override'] as string | undefined)?.toUpperCase() ?? req.method ?? 'GET';
			if (method === 'GET') return !deny(res, 405, 'METHOD_NOT_ALLOWED', 'Uploads cannot be downloaded.');
			if (method !== 'OPTIONS' && method !== 'HEAD') {
				const origin = req.headers.origin;
				if (origin && origin !== new URL(options.origin).origin) return !deny(res, 403, 'CROSS_SITE', 'Cross-site requests are not allowed.');
			}
			if (method !== 'OPTIONS' && !(await authorise(req, res, method, path))) {
				req.resume();
				return true;
			}
			await tus.handle(req, res);
			return true;
		}
	};
}
