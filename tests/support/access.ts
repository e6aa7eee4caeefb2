import { TRPCError } from '@trpc/server';
import { memberships } from '../../db/schema/index';
import type { Role } from '../../db/schema/workspaces';
import { database } from '../../server/db';
import { seedUser } from './identity';

/** The code and message a tRPC call was refused with; fails the test if it succeeded. */
export async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof TRPCError) return { code: error.code, message: error.message };
		throw error;
	}
	throw new Error('expected a refusal');
}

/** A new user who is a member of this workspace with this role (and of no other). */
export async function seedMember(workspaceId: string, label: string, role: Role) {
	const person = await seedUser(label, { workspace: false });
	await database().db.insert(memberships).values({ workspaceId, userId: person.user.id, role });
	return person;
}
