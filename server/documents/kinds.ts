import type * as Y from 'yjs';
import type { Database } from '../../db/client';
import type { Role } from '../../db/schema/workspaces';
/** What an open connection may do with a document. */
export type DocumentAccess = 'write' | 'read';

export type RootType = 'text' | 'map' | 'array' | 'xml';

export interface ProjectionContext {
	db: Database;
	id: string;
	workspaceId: string;
	doc: Y.Doc;
}

/**
 * A kind of co-edited document, declared once by the domain that owns it. The realtime
 * engine knows documents only through this: where one lives, who may open it, and what to
 * write to relational tables after it is persisted.
 */
export interface DocumentKind {
	kind: string;
	/** The document's root types, so server code (restore, projection, previews) can read them. */
	roots: Record<string, RootType>;
	/** The workspace the document belongs to, or null when there is no such document. */
	locate(db: Database, id: string): Promise<string | null>;
	/** Access by role; omitted means editors write, everyone else in the workspace reads. */
	access?(role: Role): DocumentAccess | null;
	/** Called after a batch is persisted (debounced), with the current state. */
	project?(ctx: ProjectionContext): Promise<void>;
}
