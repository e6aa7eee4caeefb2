import { randomBytes } from 'node:crypto';
import { memberships, users } from '../../db/schema/index';
import { createSession } from '../../server/auth/session';
import { database } from '../../server/db';
import { createWorkspace } from '../../server/workspaces/service';

/**
 * Bench people, made directly in the database the way tests/support/identity.ts `seedUser`
 * does (a user row, a real session from `createSession`, a workspace from `createWorkspace`),
 * in bulk: thousands of them, grouped into teams that share a workspace. Import this only
 * after DATABASE_URL is set.
 */
export interface Person {
	id: string;
	cookie: string;
}

export interface Team {
	workspaceId: string;
	/** The owner first; the others are operators (they may edit). */
	people: Person[];
}

async function inBatches<T, R>(items: T[], concurrency: number, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array<R>(items.length);
	let next = 0;
	const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await run(items[index] as T, index);
		}
	});
	await Promise.all(workers);
	return results;
}

export async function seedTeams(label: string, sizes: number[]): Promise<Team[]> {
	const { db } = database();
	const total = sizes.reduce((a, b) => a + b, 0);
	const tag = randomBytes(3).toString('hex');
	const rows: { id: string }[] = [];
	for (let start = 0; start < total; start += 1_000) {
		const values = Array.from({ length: Math.min(1_000, total - start) }, (_, k) => ({
			email: `${label}-${start + k}-${tag}@example.test`,
			displayName: `${label} ${start + k}`,
			webauthnUserId: randomBytes(32).toString('base64url')
		}));
		rows.push(...(await db.insert(users).values(values).returning({ id: users.id })));
	}
	const people = await inBatches(rows, 16, async (row) => {
		const { token } = await createSession(db, row.id, { ip: '127.0.0.1', userAgent: 'muster-bench' });
		return { id: row.id, cookie: `muster_session=${token}` };
	});
	let offset = 0;
	const groups = sizes.map((size) => {
		const group = people.slice(offset, offset + size);
		offset += size;
		return group;
	});
	return inBatches(groups, 8, async (group, index) => {
		const owner = group[0];
		if (!owner) throw new Error('a team needs at least one person');
		const actor = { userId: owner.id, label: `${label}-${index}`, ip: '127.0.0.1', userAgent: 'muster-bench' };
		const workspace = await createWorkspace(db, actor, `${label} ${index} ${tag}`);
		const others = group.slice(1);
		if (others.length > 0) {
			await db.insert(memberships).values(others.map((p) => ({ workspaceId: workspace.id, userId: p.id, role: 'operator' as const })));
		}
		return { workspaceId: workspace.id, people: group };
	});
}
