import { z } from 'zod';
import { logger } from '../logger';
import { redis, redisKey } from '../redis';

/**
 * "Someone's standing in a workspace changed" — published on Redis so every instance can
 * close or downgrade that person's open documents and presence rooms within a second.
 * `userId` null means everyone (the workspace was deleted).
 */
export const membershipChangeSchema = z.object({
	workspaceId: z.uuid(),
	userId: z.uuid().nullable(),
	at: z.number()
});
export type MembershipChange = z.infer<typeof membershipChangeSchema>;

export function membershipChannel(): string {
	return redisKey('events', 'membership');
}

/** Best effort by design: the database change has happened; a missed event only delays a close. */
export async function publishMembershipChange(workspaceId: string, userId: string | null): Promise<void> {
	const change: MembershipChange = { workspaceId, userId, at: Date.now() };
	try {
		await redis().publish(membershipChannel(), JSON.stringify(change));
	} catch (error) {
		logger().warn({ err: error, workspaceId, userId }, 'could not publish membership change');
	}
}
