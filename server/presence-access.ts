import { RateLimitedError } from './errors';
import { config } from './config';
import { database } from './db';
import { logger } from './logger';
import { can } from './permissions';
import { createRedis, redis } from './redis';
import { RateLimiter } from './auth/rate-limit';
import { singleton } from './singleton';
import { membershipChannel, membershipChangeSchema, type MembershipChange } from './workspaces/events';
import { membershipOf } from './workspaces/service';

/**
 * The narrow interface Socket.IO presence uses (next to `realtime-access.ts`): may this person
 * be present in a workspace, may they drop another note, and whose membership just changed.
 */

export async function mayViewWorkspace(userId: string, workspaceId: string): Promise<boolean> {
	const member = await membershipOf(database().db, userId, { id: workspaceId });
	return can(member?.role, 'workspace.view');
}

function dropLimiter(): RateLimiter {
	return singleton('drop-limiter', () => new RateLimiter(redis(), config().REDIS_PREFIX));
}

/** One drop token per note, per person across tabs and instances (the `drop` rate rule). */
export async function takeDropToken(userId: string): Promise<{ ok: true } | { ok: false; retryAfterMs: number }> {
	try {
		await dropLimiter().consume('drop', userId);
		return { ok: true };
	} catch (error) {
		if (error instanceof RateLimitedError) return { ok: false, retryAfterMs: error.retryAfterSeconds * 1000 };
		throw error;
	}
}

/**
 * Follows `membershipChannel()` on a subscriber connection of its own, so every instance
 * hears every change. Returns a function that unsubscribes and closes the connection.
 */
export function followMembershipChanges(onChange: (change: MembershipChange) => void): () => Promise<void> {
	const subscriber = createRedis({ connectionName: `muster-${config().ROLE}-membership` });
	const channel = membershipChannel();
	subscriber.on('error', (error: unknown) => logger().warn({ err: error }, 'membership subscriber error'));
	subscriber.on('message', (from: string, message: string) => {
		if (from !== channel) return;
		try {
			const parsed = membershipChangeSchema.safeParse(JSON.parse(message));
			if (parsed.success) onChange(parsed.data);
		} catch {
			// not JSON: not ours
		}
	});
	subscriber.subscribe(channel).catch((error: unknown) => logger().error({ err: error, channel }, 'could not subscribe to membership changes'));
	return async () => {
		await subscriber.quit().catch(() => undefined);
	};
}
