/**
 * Message types on the Yjs door, shared by server and client. 0–3 are the standard
 * y-websocket types; 100+ are Muster's, sent only to clients that ask for them with the
 * `acks=1` query parameter (the stock client logs unknown types, so it never gets them).
 * See realtime/SPEC.md (Y2).
 */
export const MessageType = {
	Sync: 0,
	Awareness: 1,
	Auth: 2,
	QueryAwareness: 3,
	/** varUint n: the first n update-bearing messages (sync step 2 or update) this connection sent are durably stored. */
	Saved: 100,
	/** varString 'write' | 'read': what this connection may do, sent on open (a change of access closes the connection with 4100). */
	Access: 101
} as const;

/** Sync sub-types (y-protocols/sync). */
export const SyncType = { Step1: 0, Step2: 1, Update: 2 } as const;

export type DocAccess = 'write' | 'read';

/** Query parameter by which a client asks for Saved/Access messages. */
export const ACKS_PARAM = 'acks';

/**
 * Whether an outgoing client frame carries document changes (and so will be acknowledged
 * by a Saved message): a sync message of type step 2 or update. Both type fields are
 * single-byte varUints, so the first two bytes say it.
 */
export function carriesChanges(frame: Uint8Array): boolean {
	return frame.length >= 2 && frame[0] === MessageType.Sync && (frame[1] === SyncType.Step2 || frame[1] === SyncType.Update);
}
