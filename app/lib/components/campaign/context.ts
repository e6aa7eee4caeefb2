import { getContext, setContext } from 'svelte';

/** What step nodes read that is not in the document: teammates' names for summaries. */
export interface CanvasContext {
	memberName(id: string): string | null;
	/** Whether this person may edit (handles are hidden and inert for viewers). */
	readonly editable: boolean;
}

const KEY = Symbol('campaign-canvas');

export function setCanvasContext(context: CanvasContext): void {
	setContext(KEY, context);
}

export function canvasContext(): CanvasContext {
	return getContext<CanvasContext | undefined>(KEY) ?? { memberName: () => null, editable: false };
}
