import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client';
import type { AuditActor } from '../audit/service';
import { addLeadPhonesToDnc } from './dnc';
import { filterWhere, leadFilterSchema } from './filter';

/**
 * Bulk actions from the leads table: on the rows ticked, or on everything the filter
 * matches (one set-based statement either way, however many leads that is).
 */
export const bulkTargetSchema = z.union([
	z.object({ ids: z.array(z.uuid()).min(1).max(500) }),
	z.object({ filter: leadFilterSchema })
]);
export type BulkTarget = z.infer<typeof bulkTargetSchema>;

export { tagSchema } from './tags';

function targetWhere(workspaceId: string, target: BulkTarget): SQL {
	if ('ids' in target) {
		return sql`l.workspace_id = ${workspaceId} and l.id in (${sql.join(target.ids.map((id) => sql`${id}::uuid`), sql`, `)})`;
	}
	return filterWhere(workspaceId, target.filter);
}

function describe(target: BulkTarget): string {
	return 'ids' in target ? `${target.ids.length} selected` : 'filter';
}

export async function bulkTag(db: Database, workspaceId: string, input: { target: BulkTarget; tag: string; remove?: boolean }): Promise<{ changed: number }> {
	const where = targetWhere(workspaceId, input.target);
	const change = input.remove
		? sql`update leads l set tags = array_remove(l.tags, ${input.tag}), updated_at = now() where ${where} and ${input.tag} = any(l.tags) returning 1`
		: sql`update leads l set tags = array_append(l.tags, ${input.tag}), updated_at = now() where ${where} and not (${input.tag} = any(l.tags)) returning 1`;
	const result = await db.execute<{ n: number }>(sql`with changed as (${change}) select count(*)::int as n from changed`);
	return { changed: result.rows[0]?.n ?? 0 };
}

export async function bulkDnc(db: Database, actor: AuditActor & { userId: string }, workspaceId: string, input: { target: BulkTarget; reason: string }) {
	return addLeadPhonesToDnc(db, actor, workspaceId, targetWhere(workspaceId, input.target), input.reason, describe(input.target));
}
