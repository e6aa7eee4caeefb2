import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { seedMember } from '../support/access';
import { seedUser } from '../support/identity';
import { png } from '../support/images';
import { spawnMuster, type RunningServer } from '../support/spawn-server';
import { envVars } from '../support/test-env';

/**
 * The MMS image routes on the production server (app/routes/…/media/+server.ts uploads,
 * …/media/[id]/+server.ts serves): operators and up upload, every member sees, and nobody
 * outside the workspace learns that an image exists, not even through their own workspace.
 */

let server: RunningServer;
let owner: Awaited<ReturnType<typeof seedUser>>;

beforeAll(async () => {
	await bootstrap(config());
	owner = await seedUser('media-routes');
	server = await spawnMuster({ env: envVars(inject('testEnv')) });
}, 90_000);

afterAll(async () => {
	if (server && server.proc.exitCode === null) await server.stop('SIGKILL');
});

const cookie = (token?: string): Record<string, string> => (token ? { cookie: `muster_session=${token}` } : {});
const upload = (slug: string, token: string | undefined, body: Buffer) =>
	fetch(`${server.url}/w/${slug}/media`, { method: 'POST', body: new Uint8Array(body), headers: { ...cookie(token), 'content-type': 'image/png', 'x-file-name': 'hello.png' }, redirect: 'manual' });
const image = (slug: string, id: string, token?: string) => fetch(`${server.url}/w/${slug}/media/${id}`, { headers: cookie(token), redirect: 'manual' });

describe('MMS image routes', () => {
	it('an operator uploads; a viewer cannot; a stranger and a signed-out caller are refused', async () => {
		const slug = owner.workspace!.slug;
		const workspaceId = owner.workspace!.id;
		const operator = await seedMember(workspaceId, 'media-route-operator', 'operator');
		const viewer = await seedMember(workspaceId, 'media-route-viewer', 'viewer');
		const stranger = await seedUser('media-route-stranger');

		const made = await upload(slug, operator.token, png(4, 4, [1, 2, 3]));
		expect(made.status).toBe(201);
		expect(await made.json()).toMatchObject({ assetId: expect.any(String), contentType: 'image/png' });
		const refused = await upload(slug, viewer.token, png(4, 4, [4, 5, 6]));
		expect(refused.status).toBe(403);
		expect(await refused.text()).toMatch(/Viewers cannot upload images/);
		expect((await upload(slug, stranger.token, png(4, 4, [7, 8, 9]))).status).toBe(404);
		expect((await upload(slug, undefined, png(4, 4, [7, 8, 9]))).status).toBe(401);
		// Only the operator's upload was stored.
		expect((await owner.client.caller.media.list({ workspaceId })).map((m) => m.name)).toEqual(['hello.png']);
	});

	it('every member sees an image; a stranger gets the same 404 through this workspace or their own', async () => {
		const slug = owner.workspace!.slug;
		const workspaceId = owner.workspace!.id;
		const { assetId } = await (await upload(slug, owner.token, png(6, 6, [10, 20, 30]))).json();
		const viewer = await seedMember(workspaceId, 'media-route-viewer-2', 'viewer');
		const stranger = await seedUser('media-route-stranger-2');

		const seen = await image(slug, assetId, viewer.token);
		expect(seen.status).toBe(200);
		expect(seen.headers.get('content-type')).toBe('image/png');
		expect((await image(slug, assetId, stranger.token)).status).toBe(404);
		expect((await image(stranger.workspace!.slug, assetId, stranger.token)).status).toBe(404);
		expect((await image(slug, assetId)).status).toBe(401);
	});
});
