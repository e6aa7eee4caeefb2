import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { docSnapshots, docUpdates } from '../../db/schema/index';
import { DocumentStore } from '../../realtime/yjs/store';
import { briefDocName } from '../../server/brief/kind';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { database } from '../../server/db';
import { seedUser } from '../support/identity';

/**
 * Compaction folds the stored log into a snapshot of the live document. The log can hold rows
 * the live document never received (another instance wrote them and its bus message was lost),
 * so every row is applied, in slices, yielding to the event loop between them.
 */

beforeAll(async () => {
	await bootstrap(config());
});

const origin = Symbol('store');

describe('DocumentStore.compact', () => {
	it('applies every stored row in slices, keeps edits made meanwhile, and empties the log', async () => {
		const { workspace } = await seedUser('compaction');
		if (!workspace) throw new Error('no workspace');
		const db = database().db;
		const store = new DocumentStore(db);
		const docName = briefDocName(workspace.id);

		// 130 one-character edits made elsewhere, stored as the other instance would store them.
		const elsewhere = new Y.Doc();
		const rows: Uint8Array[] = [];
		elsewhere.on('updateV2', (u: Uint8Array) => rows.push(u));
		for (let i = 0; i < 130; i++) elsewhere.getText('body').insert(i, String.fromCharCode(97 + (i % 26)));
		await store.append(docName, workspace.id, rows.map((update) => ({ update, userId: null })));

		// The live document here holds none of them, plus an edit of its own.
		const live = new Y.Doc();
		live.getText('title').insert(0, 'live');
		const transactions: number[] = [];
		live.on('afterTransaction', (tr: Y.Transaction) => {
			if (tr.origin === origin) transactions.push(tr.changed.size);
		});
		// An edit landing while the compaction yields between slices.
		let editedMidway = false;
		const midway = setImmediate(() => {
			live.getText('title').insert(4, '!');
			editedMidway = true;
		});
		await store.compact(docName, workspace.id, live, origin, null);
		clearImmediate(midway);

		expect(live.getText('body').toString()).toBe(elsewhere.getText('body').toString());
		// 130 rows at 50 a slice: three transactions, not one holding the event loop.
		expect(transactions.length).toBe(3);
		expect(editedMidway).toBe(true);

		const [snapshot] = await db.select().from(docSnapshots).where(eq(docSnapshots.docName, docName));
		if (!snapshot) throw new Error('no snapshot');
		const fresh = new Y.Doc();
		Y.applyUpdateV2(fresh, snapshot.state);
		expect(fresh.getText('body').toString()).toBe(elsewhere.getText('body').toString());
		expect(fresh.getText('title').toString()).toBe('live!');
		expect(await db.select().from(docUpdates).where(eq(docUpdates.docName, docName))).toHaveLength(0);
	});
});
