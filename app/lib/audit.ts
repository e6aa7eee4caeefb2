import type { AuditAction } from '$server/audit/service';

/**
 * The audit actions, for the filter. A copy (the server module pulls in the database), kept
 * honest by the types: a missing or unknown action fails `svelte-check`.
 */
export const AUDIT_ACTIONS = [
	'user.signed_up',
	'user.logged_in',
	'user.login_failed',
	'user.logged_out',
	'passkey.added',
	'passkey.renamed',
	'passkey.removed',
	'passkey.clone_suspected',
	'recovery.code_used',
	'recovery.codes_regenerated',
	'recovery.email_sent',
	'recovery.link_used',
	'session.revoked',
	'session.revoked_others',
	'workspace.created',
	'workspace.renamed',
	'workspace.deleted',
	'invite.created',
	'invite.accepted',
	'invite.revoked',
	'invite.refused',
	'member.role_changed',
	'member.removed',
	'member.left',
	'ownership.transferred',
	'dnc.added',
	'dnc.removed',
	'campaign.published',
	'campaign.deleted',
	'crusade.published',
	'crusade.deleted',
	'numbers.added',
	'numbers.updated',
	'numbers.deleted',
	'numbers.status_changed',
	'numbers.imported',
	'messaging.settings_changed'
] as const satisfies readonly AuditAction[];

type Missing = Exclude<AuditAction, (typeof AUDIT_ACTIONS)[number]>;
/** Fails to compile when the server adds an action this list lacks. */
export const complete: [Missing] extends [never] ? true : Missing = true;

export function isAuditAction(value: string | null | undefined): value is AuditAction {
	return !!value && (AUDIT_ACTIONS as readonly string[]).includes(value);
}
