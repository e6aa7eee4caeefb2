import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import * as Y from 'yjs';
import type { Database } from '../../db/client';
import { BinaryCopyReader } from './binary-copy';

export interface StoredUpdates {
	/** Snapshot first (if any), then the log after it, all V2-encoded, in order. */
	updates: Uint8Array[];
	/** Rows in the log after the snapshot: what the next compaction would fold. */
	tailLength: number;
}

function poolOf(db: Database): pg.Pool {
	const client: unknown = (db as Database & { $client?: unknown }).$client;
	if (!(client instanceof pg.Pool)) throw new Error('stored documents are read through a node-postgres pool');
	return client;
}

/**
 * A document as Postgres holds it: the snapshot plus the log rows after it, read in one
 * consistent view even while another instance compacts. The realtime engine loads documents
 * with it, and server code (publish) reads stored state with it. It holds every change a
 * client has been told is saved (SPEC Y1–Y2); changes still in a batch window are not in it.
 *
 * One statement (so one snapshot of the data, without a transaction), streamed as binary
 * COPY: a large document arrives as raw bytes straight into buffers of their final size,
 * where a query result would be hex text gathered in ever-doubling buffers (bench:realtime
 * scenario 4 measured ~11 MB of allocations to read a 1 MB snapshot that way).
 */
export async function loadStoredUpdates(db: Database, docName: string): Promise<StoredUpdates> {
	const client = await poolOf(db).connect();
	const name = client.escapeLiteral(docName);
	const query = `copy (
		select 0::int2 as part, state as bytes, 0::bigint as id from doc_snapshots where doc_name = ${name}
		union all
		select 1::int2, "update", id from doc_updates
		where doc_name = ${name} and id > coalesce((select through_id from doc_snapshots where doc_name = ${name}), 0)
		order by part, id
	) to stdout (format binary)`;
	const reader = new BinaryCopyReader();
	try {
		for await (const chunk of client.query(copyTo(query)) as AsyncIterable<Buffer>) reader.push(chunk);
		reader.end();
	} catch (error) {
		// A COPY abandoned half-way leaves the connection mid-protocol: do not pool it again.
		client.release(error instanceof Error ? error : true);
		throw error;
	}
	client.release();
	const updates: Uint8Array[] = [];
	let tailLength = 0;
	for (const [part, bytes] of reader.rows) {
		if (!part || !bytes) throw new Error(`stored state of ${docName} has an empty row`);
		updates.push(bytes);
		if (part[1] === 1) tailLength += 1;
	}
	return { updates, tailLength };
}

/** The stored document as a Y.Doc. */
export async function storedDocument(db: Database, docName: string): Promise<Y.Doc> {
	const { updates } = await loadStoredUpdates(db, docName);
	const doc = new Y.Doc();
	Y.transact(doc, () => updates.forEach((u) => Y.applyUpdateV2(doc, u)));
	return doc;
}
