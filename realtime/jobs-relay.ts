import type { Redis } from 'ioredis';
import { jobEventSchema, jobFollowSchema, type JobEventMessage } from './protocol/socket-events';
import { onEvent, type EventHooks } from './socket-events';
import type { MusterIo, MusterSocket } from './socket-types';

/**
 * Live job events for pages (import progress, later sends and generations): workers publish
 * each stored event on `${prefix}:jobs:<queue>:<jobId>`; every instance relays what it hears
 * to its own sockets that follow that job. A page replays stored events over HTTP first and
 * then follows here, so nothing is lost if a message is missed.
 *
 * Rooms are named with the workspace (`job:<workspace>:<queue>:<job>`), and a message goes
 * only to the room of the workspace it says it belongs to: following a job id of another
 * workspace joins a room nothing is ever sent to.
 */
export interface JobsRelayHooks {
	/** Whether this person may see this workspace's work. */
	mayView: (userId: string, workspaceId: string) => Promise<boolean>;
}

export interface JobsRelay {
	register(socket: MusterSocket, hooks: EventHooks): void;
	/** Re-checks followers after a membership change (same shape as presence revocation). */
	membershipChanged(change: { workspaceId: string; userId: string | null }): Promise<void>;
	ready: Promise<void>;
	close(): Promise<void>;
}

const roomOf = (workspaceId: string, queue: string, jobId: string) => `job:${workspaceId}:${queue}:${jobId}`;

export function createJobsRelay(io: MusterIo, subscriber: Redis, prefix: string, hooks: JobsRelayHooks & EventHooks): JobsRelay {
	const pattern = `${prefix}:jobs:*`;
	subscriber.on('pmessage', (matched: string, _channel: string, raw: string) => {
		if (matched !== pattern) return;
		let message: JobEventMessage;
		try {
			const parsed = jobEventSchema.safeParse(JSON.parse(raw));
			if (!parsed.success || !parsed.data.workspaceId) return;
			message = parsed.data;
		} catch {
			return;
		}
		// Local sockets only: every instance hears the channel itself, so the adapter must not fan out again.
		io.local.to(roomOf(message.workspaceId ?? '', message.queue, message.jobId)).emit('job:event', message);
	});
	const ready = subscriber.psubscribe(pattern).then(() => undefined);
	ready.catch((error: unknown) => hooks.onError?.(error, 'jobs relay subscribe'));

	return {
		ready,
		register(socket, eventHooks) {
			onEvent(
				socket,
				'jobs:follow',
				jobFollowSchema,
				'required',
				async (p) => {
					if (!(await hooks.mayView(socket.data.user.id, p.workspaceId))) {
						return { ok: false, error: { code: 'forbidden', message: 'You are not a member of this workspace.' } };
					}
					await socket.join(roomOf(p.workspaceId, p.queue, p.jobId));
					return { ok: true };
				},
				eventHooks
			);
			onEvent(
				socket,
				'jobs:unfollow',
				jobFollowSchema,
				'optional',
				async (p) => {
					await socket.leave(roomOf(p.workspaceId, p.queue, p.jobId));
					return { ok: true };
				},
				eventHooks
			);
		},
		async membershipChanged(change) {
			const prefixOfRoom = `job:${change.workspaceId}:`;
			for (const socket of io.of('/').sockets.values()) {
				if (change.userId !== null && socket.data.user.id !== change.userId) continue;
				const rooms = [...socket.rooms].filter((r) => r.startsWith(prefixOfRoom));
				if (rooms.length === 0) continue;
				if (change.userId !== null && (await hooks.mayView(change.userId, change.workspaceId))) return;
				for (const room of rooms) await socket.leave(room);
			}
		},
		async close() {
			await subscriber.quit().catch(() => undefined);
		}
	};
}
