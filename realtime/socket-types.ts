import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, Where } from './protocol/socket-events';

export interface SocketUser {
	id: string;
	displayName: string;
}

/** Where a socket is in a workspace; kept in `socket.data` so connection state recovery restores it. */
export interface SocketPresence {
	workspaceId: string;
	/** Null until the tab has said where it is. */
	where: Where | null;
	/** When this tab joined the workspace. */
	since: number;
	/** When it last reported where it is. */
	at: number;
}

export interface SocketData {
	user: SocketUser;
	presence?: SocketPresence;
}

export type MusterIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type MusterSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Why an event was dropped unanswered (the `reason` label of the dropped-events counter). */
export type DropReason = 'malformed' | 'unknown' | 'throttled' | 'not_joined';
