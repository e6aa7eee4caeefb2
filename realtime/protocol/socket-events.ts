import { z } from 'zod';
import type { OverviewStage } from '../../server/overview/stages';

/**
 * Typed Socket.IO event maps shared by server and client (SPEC S1, P1–P9). Every payload is
 * zod-checked on arrival; a payload that does not parse is dropped, never answered. A
 * well-formed request the server will not do gets an acknowledgement with `ok: false`.
 */

/** Most characters (code points, after trimming) in a drop. */
export const DROP_MAX_CHARS = 280;

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected a UUID');
const fraction = z.number().finite().min(0).max(1);

export const recordRefSchema = z.object({
	/** A lower-case word such as `campaign` or `brief`. */
	type: z.string().regex(/^[a-z][a-z-]{1,31}$/),
	id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)
});
export type RecordRef = z.infer<typeof recordRefSchema>;

/** Where someone is: a page path, and the record open on it when there is one. */
export const whereSchema = z.object({
	// Same-origin paths only: `//host` or `/\host` would make other people's links leave the app.
	page: z.string().max(200).regex(/^\/(?![/\\])[^\s?#\\]*$/, 'expected a path such as /w/acme/leads'),
	record: recordRefSchema.nullish()
});
export type Where = z.infer<typeof whereSchema>;

export const pingSchema = z.object({ sent: z.number().finite() });
/** `where` may come with the join, so a tab is listed from its first message. */
export const joinSchema = z.object({ workspaceId: uuid, where: whereSchema.optional() });
export const leaveSchema = z.object({ workspaceId: uuid });
export const spotSchema = z.object({ x: fraction, y: fraction });
export type Spot = z.infer<typeof spotSchema>;

/** Canvas coordinates are the canvas's own; `location` must be the sender's current one. */
export const cursorMoveSchema = z.object({
	x: z.number().finite().min(-1e7).max(1e7),
	y: z.number().finite().min(-1e7).max(1e7),
	location: z.string().max(300)
});

/**
 * The envelope only; the text's rules (P6) are checked after it, so an over-long or empty
 * drop gets a readable refusal instead of silence. Far beyond the limit is malformed.
 */
export const dropSendSchema = z.object({
	text: z.string().max(DROP_MAX_CHARS * 8),
	spot: spotSchema.nullish()
});

/** Follow (or stop following) one background job's live events (SPEC J1). */
export const jobFollowSchema = z.object({
	workspaceId: uuid,
	queue: z.string().regex(/^[a-z][a-z-]{1,31}$/),
	jobId: z.string().regex(/^[A-Za-z0-9:_-]{1,128}$/)
});

/** A stored job event as workers publish it and the relay forwards it (`job:event`). */
export const jobEventSchema = z.object({
	id: z.number().int(),
	queue: z.string(),
	jobId: z.string(),
	kind: z.enum(['log', 'progress', 'state']),
	data: z.unknown(),
	workspaceId: z.string().nullable(),
	createdAt: z.string()
});
export type JobEventMessage = z.infer<typeof jobEventSchema>;

/**
 * Location key (P3): the record when one is open (the same record is the same place on any
 * page), else the page. Rooms and viewer lists use it.
 */
export function locationKey(where: Where): string {
	return where.record ? `record:${where.record.type}:${where.record.id}` : `page:${where.page}`;
}

/** Control characters become spaces, then the text is trimmed: a drop is one plain line. */
export function normalizeDropText(text: string): string {
	// eslint-disable-next-line no-control-regex
	return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

/** Characters as people count them (code points), for the limit and the composer's counter. */
export function dropLength(text: string): number {
	return [...text].length;
}

export type SocketErrorCode = 'forbidden' | 'not_joined' | 'invalid' | 'rate_limited' | 'unavailable';

export interface SocketError {
	code: SocketErrorCode;
	message: string;
	/** With `rate_limited`: how long until the next attempt may succeed. */
	retryAfterMs?: number;
}

export type Reply<T = object> = ({ ok: true } & T) | { ok: false; error: SocketError };

export interface PresencePerson {
	userId: string;
	displayName: string;
	/** Their most recent location across all their tabs. */
	page: string;
	record: RecordRef | null;
	/** When they came online in this workspace (ms since epoch). */
	since: number;
	/** Location keys of every tab they have open here, so each place knows its viewers. */
	locations: string[];
}

export interface PresenceList {
	workspaceId: string;
	/** Grows with every change; a client ignores a list older than the one it has (P4). */
	version: number;
	people: PresencePerson[];
}

export interface Drop {
	id: string;
	workspaceId: string;
	location: string;
	userId: string;
	displayName: string;
	text: string;
	spot: Spot | null;
	at: number;
	/** How long it stays on screen (DROP_TTL_MS). */
	ttlMs: number;
}

export interface Cursor {
	userId: string;
	displayName: string;
	x: number;
	y: number;
	location: string;
	at: number;
}

/** Stages of the live grid that changed in a workspace (SPEC O1–O4): refetch them. */
export interface OverviewChanged {
	workspaceId: string;
	stages: OverviewStage[];
}

export interface ServerToClientEvents {
	hello: (info: { instance: string; at: number }) => void;
	'presence:list': (list: PresenceList) => void;
	'presence:revoked': (info: { workspaceId: string }) => void;
	cursor: (cursor: Cursor) => void;
	drop: (drop: Drop) => void;
	'job:event': (event: JobEventMessage) => void;
	'overview:changed': (change: OverviewChanged) => void;
}

export interface ClientToServerEvents {
	ping: (payload: { sent: number }, ack: (reply: { pong: true; sent: number; at: number }) => void) => void;
	'presence:join': (payload: { workspaceId: string; where?: Where }, ack: (reply: Reply<{ list: PresenceList; dropTtlMs: number }>) => void) => void;
	'presence:where': (payload: Where, ack?: (reply: Reply) => void) => void;
	'presence:leave': (payload: { workspaceId: string }, ack?: (reply: Reply) => void) => void;
	'cursor:move': (payload: { x: number; y: number; location: string }) => void;
	'drop:send': (payload: { text: string; spot?: Spot | null }, ack: (reply: Reply<{ drop: Drop }>) => void) => void;
	'jobs:follow': (payload: { workspaceId: string; queue: string; jobId: string }, ack: (reply: Reply) => void) => void;
	'jobs:unfollow': (payload: { workspaceId: string; queue: string; jobId: string }, ack?: (reply: Reply) => void) => void;
}

const clientEvents: Record<keyof ClientToServerEvents, true> = {
	ping: true,
	'presence:join': true,
	'presence:where': true,
	'presence:leave': true,
	'cursor:move': true,
	'drop:send': true,
	'jobs:follow': true,
	'jobs:unfollow': true
};

/** Every event a client may send; anything else is dropped as `unknown` (S1). */
export function isClientEvent(name: string): name is keyof ClientToServerEvents {
	return Object.hasOwn(clientEvents, name);
}
