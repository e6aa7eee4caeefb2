import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadImports } from '../../db/schema/index';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { database } from '../../server/db';
import { createRedis } from '../../server/redis';
import { queue } from '../../jobs/connection';
import { jobEventChannel, type PublishedJobEvent } from '../../jobs/job-events';
import { startWorkers, type WorkerPool } from '../../jobs/workers';
import { CONTACT_HEADERS, contactRows, csvText, GENERIC_HEADERS, genericRows, PROPERTY_HEADERS, propertyRows } from '../fixtures/generate-leads';
import { refusal, seedMember } from '../support/access';
import { seedUser } from '../support/identity';
import { uploadFile } from '../support/imports';

process.env.UPLOAD_DIR = mkdtempSync(join(tmpdir(), 'muster-imports-'));

let workers: WorkerPool | undefined;
let owner: Awaited<ReturnType<typeof seedUser>>;
let workspaceId: string;

beforeAll(async () => {
	await bootstrap(config());
	owner = await seedUser('importer');
	workspaceId = owner.workspace?.id ?? '';
	workers = await startWorkers(pino({ level: 'silent' }));
});

afterAll(async () => {
	await workers?.close(2_000);
	await queue('ingest').obliterate({ force: true });
});

async function waitFor(importId: string, statuses: string[]) {
	let last = '';
	await expect
		.poll(
			async () => {
				last = (await owner.client.caller.imports.get({ workspaceId, importId })).status;
				return statuses.includes(last);
			},
			{ timeout: 60_000, interval: 200 }
		)
		.toBe(true);
	return owner.client.caller.imports.get({ workspaceId, importId });
}

describe('imports over tRPC with the ingest worker', () => {
	it('inspect → configure → start: the job runs, progress and logs are stored and published live', async () => {
		const importId = await uploadFile(workspaceId, owner.user.id, Buffer.from(csvText(PROPERTY_HEADERS, propertyRows(2_500, 31))), 'vendor.csv');
		const caller = owner.client.caller.imports;
		expect(await caller.list({ workspaceId })).toMatchObject({ imports: [expect.objectContaining({ id: importId, status: 'uploaded', fileName: 'vendor.csv' })] });
		const info = await caller.inspect({ workspaceId, importId });
		expect(info).toMatchObject({ suggestedParser: 'property', encoding: 'utf-8', delimiter: ',' });

		await expect(caller.configure({ workspaceId, importId, parser: 'property', consentBasis: 'express_written' })).rejects.toThrow(/needs where it was collected and when/);
		await caller.configure({
			workspaceId,
			importId,
			parser: 'property',
			consentBasis: 'express_written',
			consentSource: 'https://example.org/optin',
			consentCollectedAt: new Date('2026-03-01T00:00:00Z')
		});

		const subscriber = createRedis();
		const live: PublishedJobEvent[] = [];
		await subscriber.subscribe(jobEventChannel('ingest', importId));
		subscriber.on('message', (_channel: string, message: string) => live.push(JSON.parse(message) as PublishedJobEvent));
		try {
			await caller.start({ workspaceId, importId });
			await caller.start({ workspaceId, importId }).catch(() => null);
			const done = await waitFor(importId, ['completed', 'failed']);
			expect(done).toMatchObject({ status: 'completed', rowsRead: 2_500, rowsRejected: 0, balanced: true, consentBasis: 'express_written' });
			const events = await caller.events({ workspaceId, importId });
			expect(events.filter((e) => e.kind === 'log').map((e) => (e.data as { line: string }).line)).toEqual(
				expect.arrayContaining([expect.stringMatching(/^reading vendor\.csv/), expect.stringMatching(/^done: 2500 rows read/)])
			);
			const progress = events.filter((e) => e.kind === 'progress').at(-1)?.data;
			expect(progress).toMatchObject({ rowsRead: 2_500, bytesRead: done.fileSize, fileSize: done.fileSize, secondsLeft: 0, rowsPerSecond: expect.any(Number) });
			const afterFirst = await caller.events({ workspaceId, importId, afterId: events[0]?.id ?? 0 });
			expect(afterFirst).toHaveLength(events.length - 1);
			await expect.poll(() => live.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(events.length);
			expect(live.every((e) => e.workspaceId === workspaceId && e.jobId === importId)).toBe(true);
			expect(live.map((e) => e.id)).toEqual(events.map((e) => e.id));
		} finally {
			await subscriber.quit();
		}
		const jobs = await queue('ingest').getJobs(['completed', 'waiting', 'active']);
		expect(jobs.filter((j) => j.id === importId)).toHaveLength(1);
	});

	it('a generic mapping is saved by header signature and offered for the next file with those columns', async () => {
		const caller = owner.client.caller.imports;
		const bytes = () => Buffer.from(csvText(GENERIC_HEADERS, genericRows(10), { delimiter: ';' }));
		const first = await uploadFile(workspaceId, owner.user.id, bytes());
		expect((await caller.inspect({ workspaceId, importId: first })).savedMapping).toBeNull();
		const mapping = { Customer: 'fullName', Tel: 'landline', 'Street Line': 'street', Town: 'city', Region: 'state', Postcode: 'zip', Notes: 'ignore' };
		await expect(caller.configure({ workspaceId, importId: first, parser: 'generic', mapping: { Notes: 'attribute' }, consentBasis: 'none' })).rejects.toThrow(/Map at least one column to a phone/);
		await expect(caller.configure({ workspaceId, importId: first, parser: 'generic', mapping: { Nope: 'phone' }, consentBasis: 'none' })).rejects.toThrow(/column "Nope" the file does not have/);
		await caller.configure({ workspaceId, importId: first, parser: 'generic', mapping, consentBasis: 'none' });
		const second = await uploadFile(workspaceId, owner.user.id, bytes());
		expect((await caller.inspect({ workspaceId, importId: second })).savedMapping).toEqual(mapping);
	});

	it('cancel stops a queued import before it writes anything', async () => {
		const importId = await uploadFile(workspaceId, owner.user.id, Buffer.from(csvText(CONTACT_HEADERS, contactRows(50))));
		const caller = owner.client.caller.imports;
		await caller.configure({ workspaceId, importId, parser: 'contact', consentBasis: 'none' });
		const cancelled = await caller.cancel({ workspaceId, importId });
		expect(cancelled.status).toBe('cancelled');
		expect((await refusal(caller.start({ workspaceId, importId }))).message).toMatch(/already cancelled/);
		expect((await caller.get({ workspaceId, importId })).rowsRead).toBe(0);
	});

	it('a failure marks the import failed with a readable error', async () => {
		const importId = await uploadFile(workspaceId, owner.user.id, Buffer.from(csvText(CONTACT_HEADERS, contactRows(20))));
		const caller = owner.client.caller.imports;
		await caller.configure({ workspaceId, importId, parser: 'contact', consentBasis: 'none' });
		const [row] = await database().db.select({ uploadId: leadImports.uploadId }).from(leadImports).where(eq(leadImports.id, importId));
		await rm(join(config().UPLOAD_DIR, row?.uploadId ?? ''));
		await caller.start({ workspaceId, importId });
		const failed = await waitFor(importId, ['failed', 'completed']);
		expect(failed).toMatchObject({ status: 'failed', error: 'The uploaded file is no longer on the server; upload it again.' });
	});
});

describe('who may do what', () => {
	it('viewers read imports and their events; only operators and above inspect, configure, start and cancel', async () => {
		const importId = await uploadFile(workspaceId, owner.user.id, Buffer.from(csvText(CONTACT_HEADERS, contactRows(5))));
		const viewer = await seedMember(workspaceId, 'import-viewer', 'viewer');
		const v = viewer.client.caller.imports;
		expect((await v.get({ workspaceId, importId })).id).toBe(importId);
		expect(await v.events({ workspaceId, importId })).toEqual([]);
		for (const attempt of [
			() => v.inspect({ workspaceId, importId }),
			() => v.configure({ workspaceId, importId, parser: 'contact', consentBasis: 'none' }),
			() => v.start({ workspaceId, importId }),
			() => v.cancel({ workspaceId, importId })
		]) {
			expect(await refusal(attempt())).toEqual({ code: 'FORBIDDEN', message: 'Your role (viewer) does not allow this.' });
		}
		const operator = await seedMember(workspaceId, 'import-operator', 'operator');
		expect((await operator.client.caller.imports.inspect({ workspaceId, importId })).suggestedParser).toBe('contact');
		const stranger = await seedUser('import-stranger');
		expect((await refusal(stranger.client.caller.imports.get({ workspaceId, importId }))).code).toBe('FORBIDDEN');
		const elsewhere = stranger.workspace?.id ?? '';
		expect((await refusal(stranger.client.caller.imports.get({ workspaceId: elsewhere, importId }))).code).toBe('NOT_FOUND');
	});
});
