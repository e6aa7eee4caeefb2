import { untrack } from 'svelte';
import type { SaveStatus } from './save-status';

/**
 * What a saved indicator shows. Bad news (saving, offline) shows at once; "All changes
 * saved" waits until it has held for a moment, so the line does not flicker on every
 * keystroke and screen readers are not told twice a second. It is never shown early.
 * Call during component initialisation (it owns an effect).
 */
export function settledStatus(read: () => SaveStatus, delayMs = 400): { readonly current: SaveStatus } {
	let shown = $state(untrack(read));
	$effect(() => {
		const next = read();
		if (next.state !== 'saved' || untrack(() => shown.state) === 'saved') {
			shown = next;
			return;
		}
		const timer = setTimeout(() => (shown = next), delayMs);
		return () => clearTimeout(timer);
	});
	return {
		get current() {
			return shown;
		}
	};
}
