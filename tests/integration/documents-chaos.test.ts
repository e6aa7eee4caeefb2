import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bootstrap } from '../../server/bootstrap';
import { storedDocument } from '../../server/documents/stored';
import { briefDocName } from '../../server/brief/kind';
import { config } from '../../server/config';
import { database } from '../../server/db';
import { freePort } from '../support/free-port';
import { seedUser } from '../support/identity';
import { spawnMuster, type RunningServer } from '../support/spawn-server';
import { envVars } from '../support/test-env';
import { peer, type TestPeer } from '../support/yjs-client';

// Real server processes, killed with SIGKILL while clients type: nothing may be lost.
const env = () => ({ ...envVars(inject('testEnv')), ROLE: 'web', DOC_BATCH_MS: '50', DOC_GRACE_MS: '500', DOC_COMPACT_AFTER: '40', LOG_LEVEL: 'info' });

let a: RunningServer;
let b: RunningServer;
let portA: number;
const peers: TestPeer[] = [];

beforeAll(async () => {
	await bootstrap(config());
	portA = await freePort();
	[a, b] = await Promise.all([spawnMuster({ env: { ...env(), PORT: String(portA) } }), spawnMuster({ env: env() })]);
}, 60_000);

afterAll(async () => {
	peers.forEach((p) => p.destroy());
	await Promise.allSettled([a?.stop('SIGKILL'), b?.stop('SIGTERM')]);
});

async function storedText(name: string): Promise<string> {
	return (await storedDocument(database().db, name)).getText('body').toString();
}

describe('chaos: SIGKILL an instance while clients edit (SPEC M3)', () => {
	it('ends with every client and a fresh load from Postgres holding every edit', async () => {
		const owner = await seedUser('chaos');
		const name = briefDocName(owner.workspace!.id);
		const cookie = `muster_session=${owner.token}`;
		const clients = Array.from({ length: 6 }, (_, i) => peer(i % 2 === 0 ? `http://127.0.0.1:${portA}` : b.url, name, cookie));
		peers.push(...clients);
		await Promise.all(clients.map((c) => c.synced()));

		const tokens: string[] = [];
		let typing = true;
		const typists = clients.map(async (client, index) => {
			let n = 0;
			while (typing) {
				const token = `[${index}.${n++}]`;
				tokens.push(token);
				// Yjs keeps each edit locally even while disconnected; it syncs on reconnect.
				// At a token boundary, so every token stays whole and can be looked for at the end.
				const text = client.text.toString();
				const boundaries = [0, ...[...text.matchAll(/\]/g)].map((m) => m.index + 1)];
				client.text.insert(boundaries[Math.floor(Math.random() * boundaries.length)]!, token);
				await new Promise((r) => setTimeout(r, 15 + Math.random() * 25));
			}
		});

		for (let round = 0; round < 3; round++) {
			await new Promise((r) => setTimeout(r, 700));
			await a.stop('SIGKILL');
			await new Promise((r) => setTimeout(r, 200));
			a = await spawnMuster({ env: { ...env(), PORT: String(portA) } });
		}
		await new Promise((r) => setTimeout(r, 500));
		typing = false;
		await Promise.all(typists);

		for (const client of clients) await client.allSaved();
		const texts = clients.map((c) => c.text.toString());
		expect(new Set(texts).size).toBe(1);
		const final = texts[0]!;
		const missing = tokens.filter((t) => !final.includes(t));
		expect(missing).toEqual([]);
		expect(tokens.length).toBeGreaterThan(100);
		expect(await storedText(name)).toBe(final);
	}, 90_000);
});

describe('SIGTERM (SPEC Y4)', () => {
	it('writes every pending update before the process exits', async () => {
		const owner = await seedUser('sigterm');
		const name = briefDocName(owner.workspace!.id);
		// A batch window far longer than the test: only the shutdown flush can store the edit.
		const slow = await spawnMuster({ env: { ...env(), DOC_BATCH_MS: '1000', DOC_GRACE_MS: '60000' } });
		const client = peer(slow.url, name, `muster_session=${owner.token}`);
		peers.push(client);
		await client.synced();
		client.text.insert(0, 'written on the way out');
		await new Promise((r) => setTimeout(r, 100));
		expect(client.saved()).toBeLessThan(client.sent());
		const { code } = await slow.stop('SIGTERM');
		client.destroy();
		expect(code).toBe(0);
		expect(await storedText(name)).toBe('written on the way out');
	}, 60_000);
});
