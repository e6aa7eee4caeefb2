import { and, asc, DrizzleQueryError, eq, gt, lte, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Database } from '../../db/client';
import { loadStoredUpdates, type StoredUpdates } from '../../server/documents/stored';
import { docSnapshots, docUpdates, docVersions, type VersionReason } from '../../db/schema/documents';

/**
 * What to log of a failed statement: the driver's error. Drizzle's wrapper spells every
 * parameter into its message and keeps them in `params`: for a batch of updates or a
 * snapshot that is megabytes in one log line, written synchronously to stdout while the
 * event loop waits (bench:realtime scenario 2 saw such lines stall a server for seconds).
 */
export function storageError(error: unknown): unknown {
	if (error instanceof DrizzleQueryError) return error.cause ?? new Error(error.message.slice(0, 200));
	return error;
}

/** Stored rows applied between two yields to the event loop while compacting. */
const APPLY_SLICE = 50;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface UpdateRow {
	update: Uint8Array;
	userId: string | null;
}

export interface VersionInput {
	reason: VersionReason;
	editors: string[];
}

/**
 * Postgres persistence of Yjs documents: an append-only log of V2 updates plus a snapshot.
 * Every method either completes or throws with nothing half-written (one statement or one
 * transaction), so a failure can be retried by the caller.
 */
export class DocumentStore {
	constructor(private readonly db: Database) {}

	load(docName: string): Promise<StoredUpdates> {
		return loadStoredUpdates(this.db, docName);
	}

	async append(docName: string, workspaceId: string, rows: UpdateRow[]): Promise<void> {
		if (rows.length === 0) return;
		await this.db.insert(docUpdates).values(rows.map((r) => ({ docName, workspaceId, update: r.update, userId: r.userId })));
	}

	/**
	 * Folds the log into the snapshot. The log rows are first applied to `doc` (a no-op for
	 * rows it already holds), so the snapshot written — `doc` re-encoded — covers every row
	 * it replaces, plus whatever else the live document holds. A transaction-scoped advisory
	 * lock keeps two instances from compacting the same document at once.
	 */
	async compact(docName: string, workspaceId: string, doc: Y.Doc, origin: unknown, version: VersionInput | null): Promise<void> {
		await this.db.transaction(async (tx) => {
			await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'doc:' + docName}))`);
			const [snapshot] = await tx.select({ throughId: docSnapshots.throughId }).from(docSnapshots).where(eq(docSnapshots.docName, docName));
			const tail = await tx
				.select({ id: docUpdates.id, update: docUpdates.update })
				.from(docUpdates)
				.where(and(eq(docUpdates.docName, docName), gt(docUpdates.id, snapshot?.throughId ?? 0)))
				.orderBy(asc(docUpdates.id));
			// In slices, yielding between them: decoding is the cost even for rows the document
			// already holds (a V2 decoder per row), and a thousand rows in one go held the event
			// loop for 40–100 ms, which every peer's next keystroke waited out (bench:realtime
			// scenario 1's p99). Applying is idempotent, so edits landing in between are fine.
			for (let i = 0; i < tail.length; i += APPLY_SLICE) {
				if (i > 0) await yieldToEventLoop();
				Y.transact(doc, () => {
					for (const row of tail.slice(i, i + APPLY_SLICE)) Y.applyUpdateV2(doc, row.update);
				}, origin);
			}
			const throughId = tail.at(-1)?.id ?? snapshot?.throughId ?? 0;
			const state = Y.encodeStateAsUpdateV2(doc);
			await tx
				.insert(docSnapshots)
				.values({ docName, workspaceId, state, throughId })
				.onConflictDoUpdate({ target: docSnapshots.docName, set: { state, throughId, updatedAt: sql`now()` } });
			if (tail.length > 0) await tx.delete(docUpdates).where(and(eq(docUpdates.docName, docName), lte(docUpdates.id, throughId)));
			if (version) await tx.insert(docVersions).values({ docName, workspaceId, state, reason: version.reason, editors: version.editors, byteSize: state.byteLength });
		});
	}

	async saveVersion(docName: string, workspaceId: string, state: Uint8Array, version: VersionInput): Promise<void> {
		await this.db.insert(docVersions).values({ docName, workspaceId, state, reason: version.reason, editors: version.editors, byteSize: state.byteLength });
	}
}
