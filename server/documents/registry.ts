import type { Database } from '../../db/client';
import { briefKind } from '../brief/kind';
import { campaignKind } from '../campaigns/kind';
import { crusadeKind } from '../crusades/kind';
import { can } from '../permissions';
import { membershipOf } from '../workspaces/service';
import type { DocumentAccess, DocumentKind } from './kinds';
import { parseDocName } from './names';

/** Every document kind. A domain adds its kind here; unknown kinds are refused. */
const KINDS: readonly DocumentKind[] = [briefKind, campaignKind, crusadeKind];

const byName = new Map(KINDS.map((k) => [k.kind, k]));

export function documentKind(kind: string): DocumentKind | undefined {
	return byName.get(kind);
}

export function registeredKinds(): string[] {
	return [...byName.keys()];
}

export type Resolution =
	| { ok: true; kind: DocumentKind; id: string; workspaceId: string; access: DocumentAccess }
	| { ok: false; refusal: 'bad-name' | 'unknown' | 'forbidden' };

function defaultAccess(role: Parameters<typeof can>[0]): DocumentAccess | null {
	if (can(role, 'content.edit')) return 'write';
	if (can(role, 'workspace.view')) return 'read';
	return null;
}

/**
 * The one answer to "may this user open this document, and how". A document in a workspace
 * the user is not a member of is `forbidden`; a missing document or unregistered kind is
 * `unknown` (membership is checked first only when the document exists, so nothing leaks
 * except existence to members).
 */
export async function resolveDocument(db: Database, userId: string, docName: string): Promise<Resolution> {
	const name = parseDocName(docName);
	if (!name) return { ok: false, refusal: 'bad-name' };
	const kind = byName.get(name.kind);
	if (!kind) return { ok: false, refusal: 'unknown' };
	const workspaceId = await kind.locate(db, name.id);
	if (!workspaceId) return { ok: false, refusal: 'unknown' };
	const member = await membershipOf(db, userId, { id: workspaceId });
	const access = member ? (kind.access ?? defaultAccess)(member.role) : null;
	if (!access) return { ok: false, refusal: 'forbidden' };
	return { ok: true, kind, id: name.id, workspaceId, access };
}
