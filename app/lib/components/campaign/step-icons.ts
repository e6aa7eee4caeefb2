/**
 * Step manifests (server/campaigns/steps/*) name their icon with a key of their own; this maps
 * those keys to Icon names, so the icon pack stays behind Icon.svelte. (No import of IconName
 * here, so Node-side tests can load this; StepIcon.svelte assigns the result to IconName, so
 * svelte-check still refuses a name Icon does not have.)
 */
const byManifestIcon = {
	ban: 'dnc',
	bell: 'notify',
	hourglass: 'wait',
	'message-square': 'message',
	'octagon-x': 'stop',
	play: 'play',
	split: 'branch',
	tag: 'tag'
} as const;

export type StepIconName = (typeof byManifestIcon)[keyof typeof byManifestIcon] | 'unknown';

/** The Icon name for a manifest's icon key; a neutral glyph for one not mapped here. */
export function stepIconName(manifestIcon: string | undefined): StepIconName {
	return Object.hasOwn(byManifestIcon, manifestIcon ?? '') ? byManifestIcon[manifestIcon as keyof typeof byManifestIcon] : 'unknown';
}
