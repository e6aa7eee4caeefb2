import type { FieldManifest } from '$server/campaigns/steps/registry';
import type { OptOutPolicy } from '$server/campaigns/templates/opt-out';
import type * as Y from 'yjs';
import type { SharedTexts } from '$lib/realtime/campaign-doc.svelte';

/** What every field component of the side panel receives; one component per manifest kind. */
export interface FieldProps<K extends FieldManifest['kind'] = FieldManifest['kind']> {
	field: Extract<FieldManifest, { kind: K }>;
	value: unknown;
	/** Writes the field's new value into the node's config in the shared document. */
	onchange: (value: unknown) => void;
	disabled: boolean;
	/** The input's id; its label, help and errors hang off it. */
	id: string;
	/** Messages of the schema's issues for this field (and below it). */
	errors: string[];
	/** Their codes, for fields that offer a fix (opt-out wording). */
	codes?: string[];
}

/** For a step's top-level text fields: the shared Y.Text and how to write it (absent inside lists). */
export interface SharedTextProps {
	texts?: SharedTexts;
	/** The field's Y.Text; null while the document holds a plain string. */
	ytext?: Y.Text | null;
}

/** The context some kinds need: the campaign's channel, the workspace's members. */
export interface FieldContext {
	workspace: { id: string; slug: string };
	channel: 'sms' | 'mms' | null;
	members: { userId: string; displayName: string }[];
	/** The workspace's opt-out rule (Messaging settings); absent = the default. */
	optOutPolicy?: OptOutPolicy;
}

export function describedBy(id: string, field: { help?: string }, errors: readonly string[]): string | undefined {
	const ids = [field.help ? `${id}-help` : null, errors.length ? `${id}-errors` : null].filter(Boolean);
	return ids.length ? ids.join(' ') : undefined;
}
