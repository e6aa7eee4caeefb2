import { and, asc, eq, gt } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Database } from '../../db/client';
import { docSnapshots, docUpdates } from '../../db/schema/index';

export interface StoredUpdates {
	/** Snapshot first (if any), then the log after it, all V2-encoded, in order. */
	updates: Uint8Array[];
	/** Rows in the log after the snapshot: what the next compaction would fold. */
	tailLength: number;
}

/**
 * A document as Postgres holds it: the snapshot plus the log rows after it, read in one
 * consistent view even while another instance compacts. The realtime engine loads documents
 * with it, and server code (publish) reads stored state with it. It holds every change a
 * client has been told is saved (SPEC Y1–Y2); changes still in a batch window are not in it.
 */
export async function loadStoredUpdates(db: Database, docName: string): Promise<StoredUpdates> {
	return db.transaction(
		async (tx) => {
			const [snapshot] = await tx.select({ state: docSnapshots.state, throughId: docSnapshots.throughId }).from(docSnapshots).where(eq(docSnapshots.docName, docName));
			const tail = await tx
				.select({ update: docUpdates.update })
				.from(docUpdates)
				.where(and(eq(docUpdates.docName, docName), gt(docUpdates.id, snapshot?.throughId ?? 0)))
				.orderBy(asc(docUpdates.id));
			return { updates: [...(snapshot ? [snapshot.state] : []), ...tail.map((r) => r.update)], tailLength: tail.length };
		},
		{ isolationLevel: 'repeatable read', accessMode: 'read only' }
	);
}

/** The stored document as a Y.Doc. */
export async function storedDocument(db: Database, docName: string): Promise<Y.Doc> {
	const { updates } = await loadStoredUpdates(db, docName);
	const doc = new Y.Doc();
	Y.transact(doc, () => updates.forEach((u) => Y.applyUpdateV2(doc, u)));
	return doc;
}
