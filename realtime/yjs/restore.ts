import * as Y from 'yjs';
import type { RootType } from '../../server/documents/kinds';

function rootOf(doc: Y.Doc, name: string, type: RootType): Y.Text | Y.Map<unknown> | Y.Array<unknown> | Y.XmlFragment {
	switch (type) {
		case 'text':
			return doc.getText(name);
		case 'map':
			return doc.getMap(name);
		case 'array':
			return doc.getArray(name);
		case 'xml':
			return doc.getXmlFragment(name);
	}
}

const TRACKED = Symbol('since-version');

/**
 * The update that takes `current` back to the content of `target` (a V2 state the document
 * had earlier), as a new change rather than a rewind, so every client can apply it.
 *
 * A scratch document starts at `target`, receives everything `current` has since, and an
 * UndoManager tracking exactly that step undoes it: undoing re-inserts what was deleted and
 * deletes what was inserted, which is the revert we want. Returns null when there is nothing
 * to revert.
 */
export function revertTo(current: Y.Doc, target: Uint8Array, roots: Record<string, RootType>): Uint8Array | null {
	const scratch = new Y.Doc({ gc: false });
	try {
		Y.applyUpdateV2(scratch, target);
		const types = Object.entries(roots).map(([name, type]) => rootOf(scratch, name, type));
		const undo = new Y.UndoManager(types, { trackedOrigins: new Set([TRACKED]), captureTimeout: 0 });
		Y.applyUpdate(scratch, Y.encodeStateAsUpdate(current, Y.encodeStateVector(scratch)), TRACKED);
		const updates: Uint8Array[] = [];
		scratch.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === undo) updates.push(update);
		});
		undo.undo();
		undo.destroy();
		return updates.length === 0 ? null : Y.mergeUpdates(updates);
	} finally {
		scratch.destroy();
	}
}
