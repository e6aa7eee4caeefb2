import { and, asc, eq, gt } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Database } from '../../db/client';
import { docSnapshots, docUpdates } from '../../db/schema/index';

/**
 * A document as Postgres holds it: the snapshot plus the log rows after it, read in one
 * consistent view (the engine's own load, which server code may not import). It holds
 * every change a client has been told is saved (SPEC Y1–Y2); changes still in a batch
 * window (≤ `DOC_BATCH_MS`) are not in it yet.
 */
export async function storedDocument(db: Database, docName: string): Promise<Y.Doc> {
	const updates = await db.transaction(
		async (tx) => {
			const [snapshot] = await tx.select({ state: docSnapshots.state, throughId: docSnapshots.throughId }).from(docSnapshots).where(eq(docSnapshots.docName, docName));
			const tail = await tx
				.select({ update: docUpdates.update })
				.from(docUpdates)
				.where(and(eq(docUpdates.docName, docName), gt(docUpdates.id, snapshot?.throughId ?? 0)))
				.orderBy(asc(docUpdates.id));
			return [...(snapshot ? [snapshot.state] : []), ...tail.map((r) => r.update)];
		},
		{ isolationLevel: 'repeatable read', accessMode: 'read only' }
	);
	const doc = new Y.Doc();
	Y.transact(doc, () => updates.forEach((u) => Y.applyUpdateV2(doc, u)));
	return doc;
}
