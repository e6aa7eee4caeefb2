import { and, eq, sql, type SQL } from 'drizzle-orm';
import Papa from 'papaparse';
import type { Database } from '../../db/client';
import { dncEntries } from '../../db/schema/leads';
import { audit, type AuditActor } from '../audit/service';
import { BadInputError, NotFoundError } from '../errors';
import { looksLikePhone, phonePrefix, toE164 } from './phone';

/**
 * The workspace's do-not-contact registry: phones nobody may text, with why, from where
 * and who added them. Leads whose phone is listed are flagged wherever they appear (the
 * flag is a join on the phone, so it is never stale). Removal is for admins and audited.
 */

export interface DncEntry {
	e164: string;
	reason: string;
	source: string;
	addedBy: { id: string; name: string } | null;
	createdAt: Date;
	/** Leads in this workspace with this phone (at most one: a phone belongs to one lead). */
	lead: { id: string; fullName: string } | null;
}

export const DNC_PAGE = 50;

const cleanReason = (reason: string) => reason.trim().replace(/\s+/g, ' ').slice(0, 200) || 'No reason given';

export async function listDnc(db: Database, workspaceId: string, input: { q?: string; before?: string | null; limit?: number }) {
	const limit = input.limit ?? DNC_PAGE;
	const parts = [sql`d.workspace_id = ${workspaceId}`];
	const q = input.q?.trim();
	if (q) {
		if (!looksLikePhone(q)) throw new BadInputError('Search the list by phone number, e.g. (415) 555-0134 or 415555.');
		const exact = toE164(q);
		const prefix = exact ?? phonePrefix(q) ?? '';
		parts.push(exact ? sql`d.e164 = ${exact}` : sql`d.e164 >= ${prefix} and d.e164 < ${`${prefix}:`}`);
	}
	// Newest first; the cursor is the last row's "created_at|e164" with full precision.
	if (input.before) {
		const [at, e164] = input.before.split('|');
		if (!at || !e164) throw new BadInputError('That page link is no longer valid; start from the first page.');
		parts.push(sql`(d.created_at, d.e164) < (${at}::timestamptz, ${e164})`);
	}
	const result = await db.execute<{
		e164: string;
		reason: string;
		source: string;
		added_by: string | null;
		added_by_name: string | null;
		created_at: Date;
		created_key: string;
		lead_id: string | null;
		lead_name: string | null;
	}>(sql`
		select d.e164, d.reason, d.source, d.added_by, u.display_name as added_by_name, d.created_at, d.created_at::text as created_key,
			l.id as lead_id, l.full_name as lead_name
		from dnc_entries d
		left join users u on u.id = d.added_by
		left join lead_phones p on p.workspace_id = d.workspace_id and p.e164 = d.e164
		left join leads l on l.id = p.lead_id
		where ${sql.join(parts, sql` and `)}
		order by d.created_at desc, d.e164 desc
		limit ${limit + 1}`);
	const rows = result.rows.slice(0, limit);
	const last = rows.at(-1);
	const entries: DncEntry[] = rows.map((r) => ({
		e164: r.e164,
		reason: r.reason,
		source: r.source,
		addedBy: r.added_by ? { id: r.added_by, name: r.added_by_name ?? 'Someone' } : null,
		createdAt: new Date(r.created_at),
		lead: r.lead_id ? { id: r.lead_id, fullName: r.lead_name ?? '' } : null
	}));
	return { entries, nextBefore: result.rows.length > limit && last ? `${last.created_key}|${last.e164}` : null };
}

export async function addDnc(db: Database, actor: AuditActor & { userId: string }, workspaceId: string, input: { phone: string; reason: string }) {
	const e164 = toE164(input.phone);
	if (!e164) throw new BadInputError(`"${input.phone.trim()}" is not a valid phone number. Enter a full number with area code, e.g. (415) 555-0134 or +44 20 7946 0958.`);
	const [added] = await db
		.insert(dncEntries)
		.values({ workspaceId, e164, reason: cleanReason(input.reason), source: 'manual', addedBy: actor.userId })
		.onConflictDoNothing()
		.returning({ e164: dncEntries.e164 });
	if (added) await audit(db, actor, { action: 'dnc.added', workspaceId, targetType: 'phone', targetId: e164, data: { reason: cleanReason(input.reason) } });
	return { e164, added: !!added };
}

export interface DncUploadSummary {
	added: number;
	/** Already on the list, or repeated in the file. */
	duplicates: number;
	invalid: { row: number; value: string }[];
	invalidCount: number;
}

/** Most rows a DNC file may have (the list is pasted or sent whole, not streamed). */
export const DNC_FILE_MAX_ROWS = 20_000;

/**
 * A small CSV of phones: the column headed phone/number/mobile/cell (else the first), and a
 * reason column when there is one. Every number is read like the ingest reads them.
 */
export async function uploadDnc(
	db: Database,
	actor: AuditActor & { userId: string },
	workspaceId: string,
	input: { fileName: string; text: string; reason: string }
): Promise<DncUploadSummary> {
	const parsed = Papa.parse<string[]>(input.text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
	const rows = parsed.data;
	if (rows.length === 0) throw new BadInputError('The file is empty. Put one phone number on each line.');
	if (rows.length > DNC_FILE_MAX_ROWS + 1) throw new BadInputError(`The file has ${rows.length.toLocaleString('en-US')} rows; upload at most ${DNC_FILE_MAX_ROWS.toLocaleString('en-US')} at a time.`);
	const first = rows[0] ?? [];
	const headerAt = first.findIndex((cell) => /^(phone|phone ?number|number|mobile|cell|e164|tel)/i.test(cell.trim()));
	const hasHeader = headerAt >= 0 || (first.length > 0 && first.every((cell) => cell.trim() !== '' && !toE164(cell)));
	const phoneCol = Math.max(0, headerAt);
	const reasonCol = hasHeader ? first.findIndex((cell) => /reason|note/i.test(cell)) : -1;
	const source = `upload: ${input.fileName.trim().slice(0, 120) || 'file'}`;

	const invalid: { row: number; value: string }[] = [];
	let invalidCount = 0;
	const values = new Map<string, string>();
	let repeated = 0;
	rows.forEach((cells, index) => {
		if (hasHeader && index === 0) return;
		const raw = (cells[phoneCol] ?? '').trim();
		const e164 = raw ? toE164(raw) : null;
		if (!e164) {
			invalidCount++;
			if (invalid.length < 20) invalid.push({ row: index + 1, value: raw });
			return;
		}
		if (values.has(e164)) repeated++;
		else values.set(e164, cleanReason((reasonCol >= 0 ? cells[reasonCol] : '') || input.reason));
	});

	let added = 0;
	const list = [...values.entries()];
	await db.transaction(async (tx) => {
		for (let i = 0; i < list.length; i += 1000) {
			const chunk = list.slice(i, i + 1000).map(([e164, reason]) => ({ workspaceId, e164, reason, source, addedBy: actor.userId }));
			const inserted = await tx.insert(dncEntries).values(chunk).onConflictDoNothing().returning({ e164: dncEntries.e164 });
			added += inserted.length;
		}
		if (added > 0) await audit(tx, actor, { action: 'dnc.added', workspaceId, targetType: 'file', targetId: input.fileName.slice(0, 120), data: { added, source } });
	});
	return { added, duplicates: repeated + (list.length - added), invalid, invalidCount };
}

export async function removeDnc(db: Database, actor: AuditActor, workspaceId: string, phone: string): Promise<void> {
	const e164 = toE164(phone) ?? phone;
	await db.transaction(async (tx) => {
		const [removed] = await tx
			.delete(dncEntries)
			.where(and(eq(dncEntries.workspaceId, workspaceId), eq(dncEntries.e164, e164)))
			.returning({ reason: dncEntries.reason, source: dncEntries.source });
		if (!removed) throw new NotFoundError(`${e164} is not on the do-not-contact list.`);
		await audit(tx, actor, { action: 'dnc.removed', workspaceId, targetType: 'phone', targetId: e164, data: { reason: removed.reason, source: removed.source } });
	});
}

/** Every phone of the leads matching `where` goes on the list (bulk add from the leads table). */
export async function addLeadPhonesToDnc(db: Database, actor: AuditActor & { userId: string }, workspaceId: string, leadWhere: SQL, reason: string, how: string) {
	return db.transaction(async (tx) => {
		const result = await tx.execute<{ n: number }>(sql`
			with added as (
				insert into dnc_entries (workspace_id, e164, reason, source, added_by)
				select p.workspace_id, p.e164, ${cleanReason(reason)}, ${`leads: ${how}`}, ${actor.userId}::uuid
				from lead_phones p
				where p.workspace_id = ${workspaceId} and p.lead_id in (select l.id from leads l where ${leadWhere})
				on conflict do nothing
				returning 1
			)
			select count(*)::int as n from added`);
		const added = result.rows[0]?.n ?? 0;
		if (added > 0) await audit(tx, actor, { action: 'dnc.added', workspaceId, targetType: 'leads', targetId: how, data: { added, reason: cleanReason(reason) } });
		return { added };
	});
}
