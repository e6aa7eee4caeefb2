import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { seedMember } from '../support/access';
import { seedUser } from '../support/identity';
import { spawnMuster, type RunningServer } from '../support/spawn-server';
import { envVars } from '../support/test-env';

/**
 * Every page of campaigns, crusades, dry-runs and numbers on the production server (issue 6):
 * signed-out visitors are sent to sign in, anyone outside the workspace gets the 404 of a page
 * that does not exist, a viewer reads, and a member asking for another workspace's campaign or
 * crusade through their own workspace finds nothing.
 */

let server: RunningServer;
let owner: Awaited<ReturnType<typeof seedUser>>;
let campaignId: string;
let crusadeId: string;

beforeAll(async () => {
	await bootstrap(config());
	owner = await seedUser('pages-access');
	const workspaceId = owner.workspace!.id;
	campaignId = (await owner.client.caller.campaigns.create({ workspaceId, name: 'Guarded page' })).id;
	crusadeId = (await owner.client.caller.crusades.create({ workspaceId, name: 'Guarded crusade page' })).id;
	server = await spawnMuster({ env: envVars(inject('testEnv')) });
}, 90_000);

afterAll(async () => {
	if (server && server.proc.exitCode === null) await server.stop('SIGKILL');
});

const get = (path: string, token?: string) => fetch(`${server.url}${path}`, { headers: token ? { cookie: `muster_session=${token}` } : {}, redirect: 'manual' });

/** Each page, under a workspace slug. */
const pages: [string, (slug: string) => string][] = [
	['campaigns list', (slug) => `/w/${slug}/campaigns`],
	['campaign editor', (slug) => `/w/${slug}/campaigns/${campaignId}`],
	['crusades list', (slug) => `/w/${slug}/crusades`],
	['crusade editor', (slug) => `/w/${slug}/crusades/${crusadeId}`],
	['dry-runs of a crusade', (slug) => `/w/${slug}/crusades/${crusadeId}/dry-runs`],
	['one dry-run', (slug) => `/w/${slug}/crusades/${crusadeId}/dry-runs/${randomUUID()}`],
	['numbers', (slug) => `/w/${slug}/numbers`]
];

describe('campaign, crusade, dry-run and number pages', () => {
	it.each(pages)('%s: signed out goes to sign in, a stranger gets not found', async (_name, path) => {
		const url = path(owner.workspace!.slug);
		const signedOut = await get(url);
		expect(signedOut.status).toBe(303);
		expect(signedOut.headers.get('location')).toBe(`/login?next=${encodeURIComponent(url)}`);
		const stranger = await seedUser('pages-stranger');
		const refused = await get(url, stranger.token);
		expect(refused.status).toBe(404);
		expect(await refused.text()).not.toContain('Guarded');
	});

	it.each(pages.filter(([name]) => name !== 'one dry-run' && name !== 'dry-runs of a crusade'))('%s: a viewer reads it', async (_name, path) => {
		const viewer = await seedMember(owner.workspace!.id, 'pages-viewer', 'viewer');
		expect((await get(path(owner.workspace!.slug), viewer.token)).status).toBe(200);
	});

	it.each(pages.filter(([name]) => name === 'campaign editor' || name === 'crusade editor' || name === 'one dry-run'))(
		"%s: another workspace's record through one's own workspace is not found",
		async (_name, path) => {
			const other = await seedUser('pages-other');
			const res = await get(path(other.workspace!.slug), other.token);
			expect(res.status).toBe(404);
			expect(await res.text()).not.toContain('Guarded');
		}
	);
});
