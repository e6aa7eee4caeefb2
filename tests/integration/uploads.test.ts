import http from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import * as tus from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadImports } from '../../db/schema/index';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { database } from '../../server/db';
import { createImportRow } from '../../server/uploads/import-row';
import { createUploadDoor, IMPORT_ID_HEADER } from '../../server/uploads/tus-door';
import { seedMember } from '../support/access';
import { seedUser } from '../support/identity';

/**
 * The tus door on a server of its own (port 0), driven by the stock tus-js-client in Node:
 * who may create and continue uploads, the limits, and resuming after an interruption.
 */

const MAX = 4 * 1024 * 1024;
let server: http.Server;
let endpoint: string;
let origin: string;
let dir: string;
let owner: Awaited<ReturnType<typeof seedUser>>;
let workspaceId: string;

function csv(rows: number): Buffer {
	const lines = ['first_name,last_name,phone,city,state'];
	for (let i = 0; i < rows; i++) lines.push(`Pat${i},Lee${i},(415) 555-${String(i % 10_000).padStart(4, '0')},Springfield,IL`);
	return Buffer.from(lines.join('\n') + '\n');
}

/** An in-memory stand-in for the browser's localStorage of upload fingerprints. */
class MemoryUrlStorage {
	entries = new Map<string, { fingerprint: string; upload: tus.PreviousUpload }>();
	async findAllUploads() {
		return [...this.entries.values()].map((e) => e.upload);
	}
	async findUploadsByFingerprint(fingerprint: string) {
		return [...this.entries.entries()].filter(([, e]) => e.fingerprint === fingerprint).map(([key, e]) => ({ ...e.upload, urlStorageKey: key }));
	}
	async removeUpload(key: string) {
		this.entries.delete(key);
	}
	async addUpload(fingerprint: string, upload: tus.PreviousUpload) {
		const key = `tus::${fingerprint}::${this.entries.size}`;
		this.entries.set(key, { fingerprint, upload: { ...upload, urlStorageKey: key } });
		return key;
	}
}

interface Outcome {
	ok: boolean;
	status: number | null;
	body: string;
	url: string | null;
	importId: string | null;
}

function upload(file: Buffer, options: { token?: string | null; filename?: string; filetype?: string; workspace?: string; chunkSize?: number; extra?: Partial<tus.UploadOptions> } = {}): { upload: tus.Upload; done: Promise<Outcome> } {
	let up!: tus.Upload;
	const done = new Promise<Outcome>((resolve) => {
		up = new tus.Upload(file, {
			endpoint,
			chunkSize: options.chunkSize ?? 64 * 1024,
			retryDelays: null,
			metadata: { filename: options.filename ?? 'leads.csv', filetype: options.filetype ?? 'text/csv', workspaceId: options.workspace ?? workspaceId },
			headers: { ...(options.token ? { cookie: `muster_session=${options.token}` } : {}), origin },
			onSuccess: (payload) =>
				resolve({ ok: true, status: payload.lastResponse.getStatus(), body: '', url: up.url, importId: payload.lastResponse.getHeader(IMPORT_ID_HEADER) ?? null }),
			onError: (error) => {
				const res = (error as tus.DetailedError).originalResponse;
				resolve({ ok: false, status: res?.getStatus() ?? null, body: res?.getBody() ?? String(error), url: up.url, importId: null });
			},
			...options.extra
		});
	});
	up.start();
	return { upload: up, done };
}

const messageOf = (body: string) => (JSON.parse(body) as { error: { message: string } }).error.message;

beforeAll(async () => {
	await bootstrap(config());
	dir = await mkdtemp(join(tmpdir(), 'muster-uploads-'));
	owner = await seedUser('uploader');
	workspaceId = owner.workspace?.id ?? '';
	const door = createUploadDoor({ db: database().db, directory: dir, maxBytes: MAX, origin: 'http://localhost:3000', onComplete: createImportRow, log: pino({ level: 'silent' }) });
	server = http.createServer((req, res) => {
		door.handle(req, res).then(
			(handled) => {
				if (!handled) res.writeHead(404).end();
			},
			(error: unknown) => res.writeHead(500).end(String(error))
		);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	endpoint = `http://127.0.0.1:${port}/api/uploads`;
	origin = 'http://localhost:3000';
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
	await rm(dir, { recursive: true, force: true });
});

describe('tus uploads', () => {
	it('an operator uploads a file: it lands under UPLOAD_DIR byte for byte and becomes an import', async () => {
		const file = csv(2_000);
		const result = await upload(file, { token: owner.token }).done;
		expect(result).toMatchObject({ ok: true });
		expect(result.importId).toMatch(/^[0-9a-f-]{36}$/);
		const id = result.url?.split('/').at(-1) ?? '';
		expect((await readFile(join(dir, id))).equals(file)).toBe(true);
		const [row] = await database().db.select().from(leadImports).where(eq(leadImports.id, result.importId ?? ''));
		expect(row).toMatchObject({ workspaceId, uploadId: id, fileName: 'leads.csv', fileSize: file.length, status: 'uploaded', createdBy: owner.user.id });
	});

	it('is refused without a session', async () => {
		const result = await upload(csv(10), { token: null }).done;
		expect(result).toMatchObject({ ok: false, status: 401 });
		expect(messageOf(result.body)).toBe('Sign in to upload files.');
	});

	it('is refused for a viewer, with the reason', async () => {
		const viewer = await seedMember(workspaceId, 'viewer', 'viewer');
		const result = await upload(csv(10), { token: viewer.token }).done;
		expect(result).toMatchObject({ ok: false, status: 403 });
		expect(messageOf(result.body)).toMatch(/Your role \(viewer\) cannot upload files/);
	});

	it('is refused for a non-member, on create and on continuing someone else\'s upload', async () => {
		const outsider = await seedUser('outsider');
		const created = await upload(csv(10), { token: outsider.token }).done;
		expect(created).toMatchObject({ ok: false, status: 403 });
		expect(messageOf(created.body)).toBe('You are not a member of this workspace.');

		// The owner starts an upload and stops after the first chunk; the outsider tries to go on.
		const file = csv(20_000);
		const first = upload(file, { token: owner.token, extra: { onChunkComplete: () => void first.upload.abort() } });
		await expect.poll(() => first.upload.url).toBeTruthy();
		const url = first.upload.url ?? '';
		const as = (token: string) => ({ 'tus-resumable': '1.0.0', cookie: `muster_session=${token}` });
		const head = await fetch(url, { method: 'HEAD', headers: as(outsider.token) });
		expect(head.status).toBe(403);
		const patch = await fetch(url, {
			method: 'PATCH',
			headers: { ...as(outsider.token), 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
			body: new Uint8Array(10)
		});
		expect(patch.status).toBe(403);
		expect(messageOf(await patch.text())).toBe('You do not have access to this upload.');
		// The owner still can.
		expect((await fetch(url, { method: 'HEAD', headers: as(owner.token) })).status).toBe(200);
	});

	it('refuses a file over the size limit with 413 and a clear message', async () => {
		const result = await upload(Buffer.alloc(MAX + 1024 * 1024, 'a'), { token: owner.token }).done;
		expect(result).toMatchObject({ ok: false, status: 413 });
		expect(messageOf(result.body)).toBe('The file is 5 MB; files may be at most 4 MB. Split it into smaller files.');
	});

	it('refuses files that are not CSV text, by extension and by type', async () => {
		const workbook = await upload(csv(5), { token: owner.token, filename: 'leads.xlsx' }).done;
		expect(workbook).toMatchObject({ ok: false, status: 415 });
		expect(messageOf(workbook.body)).toBe('leads.xlsx is a spreadsheet workbook. Save it as CSV (comma-separated) and upload that.');
		const pdf = await upload(csv(5), { token: owner.token, filename: 'leads.csv', filetype: 'application/pdf' }).done;
		expect(pdf).toMatchObject({ ok: false, status: 415 });
		expect(messageOf(pdf.body)).toMatch(/is application\/pdf, not CSV text/);
	});

	it('resumes after an interruption from where the server got to, using the stored fingerprint', async () => {
		const file = csv(40_000);
		const storage = new MemoryUrlStorage();
		const common = { urlStorage: storage, fingerprint: async () => 'leads.csv-fingerprint', storeFingerprintForResuming: true, removeFingerprintOnSuccess: true };
		let chunks = 0;
		const first = upload(file, {
			token: owner.token,
			extra: {
				...common,
				onChunkComplete: () => {
					if (++chunks === 3) void first.upload.abort();
				}
			}
		});
		await expect.poll(() => chunks).toBe(3);
		expect(storage.entries.size).toBe(1);

		// A new page: find the previous upload by fingerprint and continue it.
		let firstAccepted = -1;
		const second = new tus.Upload(file, {
			endpoint,
			chunkSize: 64 * 1024,
			retryDelays: null,
			headers: { cookie: `muster_session=${owner.token}`, origin },
			metadata: { filename: 'leads.csv', filetype: 'text/csv', workspaceId },
			...common,
			onChunkComplete: (_size, accepted) => {
				if (firstAccepted < 0) firstAccepted = accepted;
			}
		});
		const previous = await second.findPreviousUploads();
		expect(previous).toHaveLength(1);
		const done = new Promise<string | null>((resolve, reject) => {
			second.options.onSuccess = (payload) => resolve(payload.lastResponse.getHeader(IMPORT_ID_HEADER) ?? null);
			second.options.onError = reject;
		});
		second.resumeFromPreviousUpload(previous[0] as tus.PreviousUpload);
		second.start();
		const importId = await done;
		expect(second.url).toBe(first.upload.url);
		expect(firstAccepted).toBeGreaterThan(3 * 64 * 1024);
		expect(importId).toMatch(/^[0-9a-f-]{36}$/);
		expect((await readFile(join(dir, second.url?.split('/').at(-1) ?? ''))).equals(file)).toBe(true);
		expect(storage.entries.size).toBe(0);
	});

	it('HEAD of a finished upload names its import, so a client whose last answer was lost finds it', async () => {
		const result = await upload(csv(100), { token: owner.token }).done;
		expect(result.ok, result.body).toBe(true);
		const res = await fetch(result.url?.startsWith('http') ? result.url : new URL(result.url ?? '', endpoint), {
			method: 'HEAD',
			headers: { 'tus-resumable': '1.0.0', cookie: `muster_session=${owner.token}` }
		});
		expect(res.status).toBe(200);
		expect(res.headers.get(IMPORT_ID_HEADER)).toBe(result.importId);
	});

	it('GET never serves an uploaded file', async () => {
		const result = await upload(csv(5), { token: owner.token }).done;
		const res = await fetch(new URL(result.url ?? '', endpoint), { headers: { cookie: `muster_session=${owner.token}` } });
		expect(res.status).toBe(405);
	});
});
