import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { campaignVersions } from '../../db/schema/index';
import { bootstrap } from '../../server/bootstrap';
import { campaignDraft } from '../../server/campaigns/document';
import { config } from '../../server/config';
import { database } from '../../server/db';
import { mediaAssetData, storeMediaAsset } from '../../server/media/service';
import { refusal, seedMember } from '../support/access';
import { seedUser } from '../support/identity';
import { GIF_1X1, png, SVG } from '../support/images';

/** MMS media: what is accepted (by its bytes), deduplication, who may list and delete, and what a version keeps. */

let owner: Awaited<ReturnType<typeof seedUser>>;
let workspaceId: string;

beforeAll(async () => {
	await bootstrap(config());
	owner = await seedUser('media-owner');
	workspaceId = owner.workspace!.id;
});

const store = (name: string, data: Buffer) => storeMediaAsset(database().db, owner.user.id, workspaceId, { name, data });

describe('MMS media assets', () => {
	it('stores PNG and GIF with the type and size read from the bytes, whatever the name says', async () => {
		const image = png(40, 30);
		const a = await store('logo.jpg', image);
		expect(a).toMatchObject({ name: 'logo.jpg', contentType: 'image/png', bytes: image.length, width: 40, height: 30 });
		const g = await store('pixel.gif', GIF_1X1);
		expect(g).toMatchObject({ contentType: 'image/gif', width: 1, height: 1 });
		const served = await mediaAssetData(database().db, workspaceId, a.assetId);
		expect(served?.contentType).toBe('image/png');
		expect(Buffer.compare(served!.data, image)).toBe(0);
	});

	it('the same bytes uploaded twice are one asset', async () => {
		const image = png(8, 8, [200, 10, 10]);
		const first = await store('red.png', image);
		const again = await store('red copy.png', image);
		expect(again.assetId).toBe(first.assetId);
		const listed = await owner.client.caller.media.list({ workspaceId });
		expect(listed.filter((m) => m.assetId === first.assetId)).toHaveLength(1);
	});

	it('refuses what is not a JPEG, PNG or GIF, an empty file and one over a megabyte, saying why', async () => {
		await expect(store('drawing.png', SVG)).rejects.toThrow(/drawing\.png is (not an image we can read|a SVG image)\. MMS here takes JPEG, PNG and GIF/);
		await expect(store('notes.png', Buffer.from('just some text, not an image at all'))).rejects.toThrow(/MMS here takes JPEG, PNG and GIF/);
		await expect(store('empty.png', Buffer.alloc(0))).rejects.toThrow('empty.png is empty.');
		const big = png(600, 600, [0, 0, 0], true);
		expect(big.length).toBeGreaterThan(1_000_000);
		await expect(store('photo.png', big)).rejects.toMatchObject({ code: 'TOO_LARGE', message: expect.stringMatching(/photo\.png is \d+ KB; carriers refuse MMS over 1000 KB/) });
	});

	it('deletes an unused image; keeps one a published version sends', async () => {
		const unused = await store('unused.png', png(3, 3, [1, 2, 3]));
		await owner.client.caller.media.delete({ workspaceId, assetId: unused.assetId });
		expect((await owner.client.caller.media.list({ workspaceId })).map((m) => m.assetId)).not.toContain(unused.assetId);

		const sent = await store('sent.png', png(3, 3, [4, 5, 6]));
		await database()
			.db.insert(campaignVersions)
			.values({ campaignId: sent.assetId, workspaceId, number: 1, hash: 'x', content: { nodes: [{ config: { media: [{ assetId: sent.assetId }] } }] } });
		expect(await refusal(owner.client.caller.media.delete({ workspaceId, assetId: sent.assetId }))).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/published campaign version/) });
		expect((await refusal(owner.client.caller.media.delete({ workspaceId, assetId: unused.assetId }))).code).toBe('NOT_FOUND');
	});

	it('a viewer lists but cannot delete; a non-member is refused both', async () => {
		const asset = await store('kept.png', png(5, 5, [9, 9, 9]));
		const viewer = await seedMember(workspaceId, 'media-viewer', 'viewer');
		expect((await viewer.client.caller.media.list({ workspaceId })).map((m) => m.assetId)).toContain(asset.assetId);
		expect((await refusal(viewer.client.caller.media.delete({ workspaceId, assetId: asset.assetId }))).code).toBe('FORBIDDEN');
		const stranger = await seedUser('media-stranger');
		expect((await refusal(stranger.client.caller.media.list({ workspaceId }))).code).toBe('FORBIDDEN');
		expect((await refusal(stranger.client.caller.media.delete({ workspaceId, assetId: asset.assetId }))).code).toBe('FORBIDDEN');
		const rows = await database().db.execute<{ n: number }>(sql`select count(*)::int as n from media_assets where id = ${asset.assetId}`);
		expect(rows.rows[0]?.n).toBe(1);
	});

	it("a campaign attaches only its own workspace's images: another workspace's, or a deleted one, is an issue on the step", async () => {
		const mine = await store('mine.png', png(3, 3, [1, 1, 1]));
		const other = await seedUser('media-other');
		const theirs = await storeMediaAsset(database().db, other.user.id, other.workspace!.id, { name: 'theirs.png', data: png(3, 3, [2, 2, 2]) });
		const item = (assetId: string) => ({ assetId, name: 'x.png', contentType: 'image/png', bytes: 100 });
		const doc = new Y.Doc();
		doc.getMap('nodes').set('send', { type: 'send_message', position: { x: 0, y: 0 }, config: { body: 'Hi', media: [item(mine.assetId), item(theirs.assetId), item(randomUUID())] } });
		const unknown = async (workspace: string) => (await campaignDraft(database().db, workspace, doc)).issues.filter((i) => i.code === 'unknown_media').map((i) => [i.nodeId, i.field]);
		expect(await unknown(workspaceId)).toEqual([
			['send', 'media.1'],
			['send', 'media.2']
		]);
		expect(await unknown(other.workspace!.id)).toEqual([
			['send', 'media.0'],
			['send', 'media.2']
		]);
	});
});
