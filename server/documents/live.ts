import { singleton } from '../singleton';

/**
 * The realtime engine, as the server's domains see it. The engine lives in `realtime/`,
 * which server code may not import; `server/app.ts` plugs it in here at start, so a tRPC
 * procedure can act on a live document (on whichever instance it runs).
 */
export interface LiveDocuments {
	/** Applies `state` (V2) as a new change to `docName`, loading it if needed; resolves once durable. */
	restore(docName: string, state: Uint8Array, userId: string): Promise<void>;
}

const slot = singleton('live-documents', () => ({ current: null as LiveDocuments | null }));

export function provideLiveDocuments(live: LiveDocuments | null): void {
	slot.current = live;
}

export function liveDocuments(): LiveDocuments {
	if (!slot.current) throw new Error('the realtime engine is not running in this process (ROLE=worker?)');
	return slot.current;
}
