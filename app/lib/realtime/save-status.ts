/**
 * What the saved indicator of a co-edited document says, worked out from facts about its
 * connection. Pure, so every transition is unit-tested; `LiveDoc` feeds it events.
 *
 * "Saved" is a promise that the server has the changes durably in Postgres: it is shown only
 * when every change-bearing frame sent on the current socket has been acknowledged by a
 * `Saved` message (realtime/protocol/yjs-messages.ts). A new socket starts from zero; whatever
 * the old one had not confirmed goes again in the new socket's sync step 2.
 */
import { CloseCode, isTerminal } from '../../../realtime/protocol/close-codes';
import type { DocAccess } from '../../../realtime/protocol/yjs-messages';

export interface ConnectionFacts {
	/** The socket's state: `idle` until local storage is loaded and the first attempt starts. */
	socket: 'idle' | 'connecting' | 'open' | 'closed';
	/** Closes since the last successful open: after one, the document is offline, not connecting. */
	failures: number;
	/** The code of the last close by the server (null for a local close or a dropped network). */
	lastCloseCode: number | null;
	/** The server's state has arrived on this socket (sync step 2). */
	synced: boolean;
	/** Change-bearing frames sent on this socket. */
	sent: number;
	/** How many of them the server says are durable. */
	acked: number;
	/** What the server says this connection may do; null until it says. */
	access: DocAccess | null;
	/** A terminal close code: the client stopped and waits for the person. */
	refused: number | null;
	/**
	 * Changes this device sent while the server had it read-only: the server drops them, so
	 * they exist only here (edits made offline before a role was lowered, say).
	 */
	unsaveable: boolean;
}

export type ConnectionEvent =
	| { type: 'connecting' }
	| { type: 'open' }
	| { type: 'sent'; empty: boolean }
	| { type: 'saved'; count: number }
	| { type: 'access'; access: DocAccess }
	| { type: 'synced'; synced: boolean }
	| { type: 'closed'; code: number | null };

export const initialFacts: ConnectionFacts = {
	socket: 'idle',
	failures: 0,
	lastCloseCode: null,
	synced: false,
	sent: 0,
	acked: 0,
	access: null,
	refused: null,
	unsaveable: false
};

export function reduce(facts: ConnectionFacts, event: ConnectionEvent): ConnectionFacts {
	if (facts.refused !== null) return facts;
	switch (event.type) {
		case 'connecting':
			return { ...facts, socket: 'connecting', synced: false, sent: 0, acked: 0 };
		case 'open':
			return { ...facts, socket: 'open', failures: 0, lastCloseCode: null, synced: false, sent: 0, acked: 0 };
		case 'sent':
			if (facts.socket !== 'open') return facts;
			return { ...facts, sent: facts.sent + 1, unsaveable: facts.unsaveable || (facts.access === 'read' && !event.empty) };
		case 'saved':
			// Counts only grow; a stale or bogus number never claims more than was sent.
			return facts.socket === 'open' ? { ...facts, acked: Math.min(facts.sent, Math.max(facts.acked, event.count)) } : facts;
		case 'access':
			return { ...facts, access: event.access };
		case 'synced':
			return { ...facts, synced: event.synced };
		case 'closed': {
			const code = event.code;
			if (code !== null && isTerminal(code)) return { ...facts, socket: 'closed', synced: false, refused: code };
			// A changed role closes the socket on purpose; the reconnect is immediate, not a failure.
			const failures = code === CloseCode.AccessChanged ? facts.failures : facts.failures + 1;
			return { ...facts, socket: 'closed', synced: false, sent: 0, acked: 0, failures, lastCloseCode: code };
		}
	}
}

export type SaveState = 'connecting' | 'saving' | 'saved' | 'offline' | 'read-only' | 'refused';

export interface SaveStatus {
	state: SaveState;
	/** The words on screen. */
	label: string;
	/** A second sentence, when there is more to say (why, and what happens next). */
	detail: string | null;
	/** Whether the person may type (the server has the final word through Access messages). */
	editable: boolean;
	/** Something the person can do about it. */
	action?: 'sign-in' | 'discard';
}

const REFUSALS: Record<number, { label: string; detail: string }> = {
	[CloseCode.Unauthenticated]: { label: 'Signed out — sign in again', detail: 'Your changes are kept on this device until you do.' },
	[CloseCode.Forbidden]: { label: 'You no longer have access', detail: 'Ask a workspace admin to add you again.' },
	[CloseCode.UnknownDocument]: { label: 'This brief no longer exists', detail: 'The workspace may have been deleted.' },
	[CloseCode.BadRequest]: { label: 'This brief cannot be opened', detail: 'Reload the page to try again.' }
};

/**
 * The status to show. `mayEdit` is what the page knows of the person's role; the server's
 * Access message overrides it either way once it arrives. `keptLocally` is false when the
 * browser cannot store the document (IndexedDB unavailable), so "kept" would be untrue.
 */
export function statusOf(facts: ConnectionFacts, mayEdit: boolean, keptLocally = true): SaveStatus {
	const canWrite = facts.access === null ? mayEdit : facts.access === 'write';
	if (facts.refused !== null) {
		const refusal = REFUSALS[facts.refused] ?? { label: 'This brief cannot be opened', detail: null };
		const action = facts.refused === CloseCode.Unauthenticated ? { action: 'sign-in' as const } : {};
		return { state: 'refused', label: refusal.label, detail: refusal.detail, editable: false, ...action };
	}
	if (!canWrite) {
		// Viewers still want to know whether what they read is current.
		if (facts.unsaveable) {
			return {
				state: 'read-only',
				label: 'Changes on this device were not saved',
				detail: 'You can only view the brief now, so edits made here before that cannot be saved.',
				editable: false,
				action: 'discard'
			};
		}
		const label = facts.socket === 'open' && facts.synced ? 'Up to date' : facts.failures > 0 ? 'Offline — reconnecting' : 'Connecting…';
		return { state: 'read-only', label, detail: 'View only: owners, admins and operators can edit the brief.', editable: false };
	}
	if (facts.socket !== 'open' && facts.lastCloseCode === CloseCode.AccessChanged) {
		return { state: 'connecting', label: 'Updating your access…', detail: null, editable: false };
	}
	switch (facts.socket) {
		case 'idle':
		case 'connecting':
			if (facts.failures === 0) return { state: 'connecting', label: 'Connecting…', detail: null, editable: true };
			return offline(facts, keptLocally);
		case 'closed':
			return offline(facts, keptLocally);
		case 'open':
			if (!facts.synced || facts.access === null || facts.acked < facts.sent) return { state: 'saving', label: 'Saving…', detail: null, editable: true };
			return { state: 'saved', label: 'All changes saved', detail: null, editable: true };
	}
}

function offline(facts: ConnectionFacts, keptLocally: boolean): SaveStatus {
	const why =
		facts.lastCloseCode === CloseCode.LoadFailed
			? 'The server could not load the brief; retrying. '
			: facts.lastCloseCode === CloseCode.GoingAway
				? 'The server is restarting; reconnecting. '
				: '';
	if (!keptLocally) {
		return {
			state: 'offline',
			label: 'Offline — keep this tab open',
			detail: `${why}This browser cannot store changes, so they are saved only if this tab stays open until you are back online.`,
			editable: true
		};
	}
	return { state: 'offline', label: 'Offline — changes kept on this device', detail: `${why}They are saved when you are back online.`, editable: true };
}

/**
 * Whether a change-bearing frame carries nothing: the sync step 2 of a client with nothing the
 * server lacks is an empty update (two zero bytes: no structs, no deletions).
 */
export function isEmptyChange(frame: Uint8Array): boolean {
	return frame.length === 5 && frame[2] === 2 && frame[3] === 0 && frame[4] === 0;
}
