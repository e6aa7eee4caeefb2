import { asc, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { docSnapshots, docUpdates } from '../../db/schema/index';
import { database } from '../../server/db';

/** A document as a fresh load from Postgres sees it: the snapshot, then the log after it. */
export async function storedDocument(docName: string): Promise<Y.Doc> {
	const { db } = database();
	const doc = new Y.Doc();
	const [snapshot] = await db.select({ state: docSnapshots.state }).from(docSnapshots).where(eq(docSnapshots.docName, docName));
	if (snapshot) Y.applyUpdateV2(doc, snapshot.state);
	const rows = await db.select({ update: docUpdates.update }).from(docUpdates).where(eq(docUpdates.docName, docName)).orderBy(asc(docUpdates.id));
	rows.forEach((r) => Y.applyUpdateV2(doc, r.update));
	return doc;
}
