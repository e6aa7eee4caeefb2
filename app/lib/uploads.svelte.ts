import * as tus from 'tus-js-client';

/**
 * One resumable file upload over tus, as runes the page renders. The browser keeps each
 * unfinished upload's URL in localStorage under a fingerprint of the file and workspace, so
 * choosing the same file again after a reload (or a crash) continues where the server got
 * to; a dropped connection is retried with back-off, and again when the browser comes back
 * online.
 */

export const UPLOAD_ENDPOINT = '/api/uploads';
/** Each PATCH carries at most this much: small enough for proxies' body limits, large enough to be cheap. */
const CHUNK_BYTES = 8 * 1024 * 1024;
const RETRY_DELAYS = [0, 1_000, 3_000, 5_000, 10_000, 20_000, 30_000, 60_000];

export type UploadStatus = 'idle' | 'uploading' | 'paused' | 'retrying' | 'done' | 'failed';

/** The sentence in a refusal: our JSON errors, or tus's plain-text ones. */
export function refusalMessage(error: unknown): string {
	const res = (error as tus.DetailedError | undefined)?.originalResponse;
	if (res) {
		const body = res.getBody() ?? '';
		try {
			const parsed = JSON.parse(body) as { error?: { message?: string } };
			if (parsed.error?.message) return parsed.error.message;
		} catch {
			// plain text
		}
		if (res.getStatus() === 413) return 'The file is larger than this server accepts.';
		if (body.trim()) return body.trim();
		return `The upload was refused (HTTP ${res.getStatus()}).`;
	}
	return 'The connection to Muster was lost. The upload will continue when it is back.';
}

function fingerprintOf(file: File, workspaceId: string): string {
	return ['muster', workspaceId, file.name, file.type, file.size, file.lastModified].join('/');
}

export interface PendingUpload {
	fileName: string;
	size: number | null;
	startedAt: string;
	urlStorageKey: string;
}

/** Unfinished uploads this browser remembers for a workspace (to be continued by choosing the file again). */
export async function pendingUploads(workspaceId: string): Promise<PendingUpload[]> {
	if (!tus.canStoreURLs) return [];
	const all = await tus.defaultOptions.urlStorage.findAllUploads();
	return all
		.filter((u) => u.metadata.workspaceId === workspaceId)
		.map((u) => ({ fileName: u.metadata.filename ?? 'file', size: u.size, startedAt: u.creationTime, urlStorageKey: u.urlStorageKey }));
}

export async function forgetUpload(urlStorageKey: string): Promise<void> {
	await tus.defaultOptions.urlStorage.removeUpload(urlStorageKey);
}

export class LeadUpload {
	status = $state<UploadStatus>('idle');
	sent = $state(0);
	total = $state(0);
	/** Bytes per second over the last few seconds. */
	speed = $state(0);
	error = $state<string | null>(null);
	/** Set when this upload continues one started earlier (after a reload). */
	resumedFrom = $state<number | null>(null);
	importId = $state<string | null>(null);

	readonly file: File;
	#upload: tus.Upload;
	#samples: { at: number; bytes: number }[] = [];
	#onOnline = () => {
		if (this.status === 'retrying' || (this.status === 'failed' && this.#retryable)) this.resume();
	};
	#retryable = false;

	constructor(file: File, workspaceId: string, onDone: (importId: string | null) => void) {
		this.file = file;
		this.total = file.size;
		this.#upload = new tus.Upload(file, {
			endpoint: UPLOAD_ENDPOINT,
			chunkSize: CHUNK_BYTES,
			retryDelays: RETRY_DELAYS,
			metadata: { filename: file.name, filetype: file.type, workspaceId },
			fingerprint: async () => fingerprintOf(file, workspaceId),
			storeFingerprintForResuming: true,
			removeFingerprintOnSuccess: true,
			onProgress: (sent, total) => this.#progress(sent, total),
			onShouldRetry: (error, _attempt, options) => {
				const status = error.originalResponse?.getStatus() ?? 0;
				// Refusals (not signed in, no access, too large, not CSV) will not change by waiting.
				const retry = status === 0 || status === 409 || status === 423 || status >= 500;
				if (retry) {
					this.status = 'retrying';
					this.error = refusalMessage(error);
				}
				return retry && options.retryDelays !== null;
			},
			onError: (error) => {
				const status = (error as tus.DetailedError).originalResponse?.getStatus() ?? 0;
				this.#retryable = status === 0 || status >= 500;
				this.status = 'failed';
				this.error = refusalMessage(error);
			},
			onSuccess: ({ lastResponse }) => {
				this.status = 'done';
				this.sent = this.total;
				this.error = null;
				this.importId = lastResponse.getHeader('Muster-Import-Id') ?? null;
				window.removeEventListener('online', this.#onOnline);
				onDone(this.importId);
			}
		});
		window.addEventListener('online', this.#onOnline);
	}

	/** Continues an earlier upload of the same file when this browser has one, else starts. */
	async start(): Promise<void> {
		this.error = null;
		const previous = await this.#upload.findPreviousUploads();
		const latest = previous.sort((a, b) => b.creationTime.localeCompare(a.creationTime))[0];
		if (latest) {
			this.#upload.resumeFromPreviousUpload(latest);
			this.resumedFrom = 0;
		}
		this.status = 'uploading';
		this.#upload.start();
	}

	pause(): void {
		if (this.status !== 'uploading' && this.status !== 'retrying') return;
		this.status = 'paused';
		this.speed = 0;
		this.#samples = [];
		void this.#upload.abort();
	}

	resume(): void {
		if (this.status === 'done') return;
		this.status = 'uploading';
		this.error = null;
		this.#upload.start();
	}

	/** Stops and deletes the partial file on the server. */
	async cancel(): Promise<void> {
		window.removeEventListener('online', this.#onOnline);
		this.status = 'idle';
		await this.#upload.abort(true).catch(() => undefined);
	}

	dispose(): void {
		window.removeEventListener('online', this.#onOnline);
		if (this.status === 'uploading' || this.status === 'retrying') void this.#upload.abort();
	}

	get percent(): number {
		return this.total ? Math.min(100, (this.sent / this.total) * 100) : 0;
	}

	/** Seconds left at the current speed, or null while it is not known. */
	get secondsLeft(): number | null {
		return this.speed > 0 ? Math.max(0, (this.total - this.sent) / this.speed) : null;
	}

	#progress(sent: number, total: number): void {
		const now = performance.now();
		// The first report after resuming says how much the server already had.
		if (this.resumedFrom === 0 && this.#samples.length === 0 && sent > 0) this.resumedFrom = sent;
		if (this.status === 'retrying') this.status = 'uploading';
		this.error = null;
		this.sent = sent;
		this.total = total;
		this.#samples.push({ at: now, bytes: sent });
		while (this.#samples.length > 2 && now - (this.#samples[0]?.at ?? now) > 5_000) this.#samples.shift();
		const first = this.#samples[0];
		if (first && now - first.at > 300) this.speed = ((sent - first.bytes) / (now - first.at)) * 1000;
	}
}

export function formatBytes(bytes: number): string {
	const units = ['B', 'KB', 'MB', 'GB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
	if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
	const minutes = Math.round(seconds / 60);
	if (minutes < 60) return `${minutes} min`;
	return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
