import type { MediaItem } from '$server/campaigns/templates/media';

/** What the upload endpoint answers with: the stored asset. */
export interface UploadedMedia extends MediaItem {
	width: number;
	height: number;
}

export const MEDIA_ACCEPT = 'image/jpeg,image/png,image/gif';

export function mediaUrl(slug: string, assetId: string): string {
	return `/w/${encodeURIComponent(slug)}/media/${encodeURIComponent(assetId)}`;
}

/**
 * Sends one image to `/w/<slug>/media` with progress (XHR: fetch cannot report upload
 * progress). Rejects with the server's own sentence when it refuses the file.
 */
export function uploadMedia(slug: string, file: File, onProgress: (fraction: number) => void): Promise<UploadedMedia> {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open('POST', `/w/${encodeURIComponent(slug)}/media`);
		xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
		xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
		xhr.setRequestHeader('accept', 'application/json');
		xhr.upload.onprogress = (e) => {
			if (e.lengthComputable) onProgress(e.loaded / e.total);
		};
		xhr.onload = () => {
			let body: unknown = null;
			try {
				body = JSON.parse(xhr.responseText);
			} catch {
				body = null;
			}
			if (xhr.status >= 200 && xhr.status < 300 && body) return resolve(body as UploadedMedia);
			const message = (body as { message?: string } | null)?.message;
			reject(new Error(message ?? (xhr.status === 413 ? `${file.name} is larger than this server accepts.` : `The upload was refused (HTTP ${xhr.status}).`)));
		};
		xhr.onerror = () => reject(new Error('The connection to Muster was lost; try the upload again.'));
		xhr.send(file);
	});
}

export function formatKb(bytes: number): string {
	return bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1000))} KB`;
}
