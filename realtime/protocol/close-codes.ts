/**
 * WebSocket close codes of the Yjs door, shared by server and client. See realtime/SPEC.md.
 * 4000–4999 is the range RFC 6455 leaves to applications.
 */
export const CloseCode = {
	/** The document name is not `<kind>:<uuid>` or the request is malformed. */
	BadRequest: 4400,
	/** No valid session cookie. */
	Unauthenticated: 4401,
	/** Signed in, but not allowed to open this document. */
	Forbidden: 4403,
	/** No document kind of that name is registered (or the document does not exist). */
	UnknownDocument: 4404,
	/**
	 * What this connection may do changed (a role went up or down): reconnect at once. The new
	 * connection starts with the new access, and its sync handshake carries any changes this
	 * one had not stored, so acknowledgements never cover a dropped change.
	 */
	AccessChanged: 4100,
	/** The document could not be loaded; nothing was overwritten. Retry later. */
	LoadFailed: 4500,
	/** The server is shutting down; reconnect (to another instance). */
	GoingAway: 1001
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

export const closeReasons: Record<CloseCode, string> = {
	[CloseCode.BadRequest]: 'bad request',
	[CloseCode.Unauthenticated]: 'unauthenticated',
	[CloseCode.Forbidden]: 'forbidden',
	[CloseCode.AccessChanged]: 'access changed',
	[CloseCode.UnknownDocument]: 'unknown document',
	[CloseCode.LoadFailed]: 'load failed',
	[CloseCode.GoingAway]: 'server shutting down'
};

/** Codes after which a client should not retry without the user doing something. */
export function isTerminal(code: number): boolean {
	return code === CloseCode.BadRequest || code === CloseCode.Unauthenticated || code === CloseCode.Forbidden || code === CloseCode.UnknownDocument;
}
