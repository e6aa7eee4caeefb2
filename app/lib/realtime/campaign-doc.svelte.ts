/**
 * A campaign's live document for the builder: the `meta`, `nodes` and `edges` roots as
 * reactive plain data, the same issues the server projects (computed here on every change,
 * so every editor sees them at once), writes in Y transactions, undo/redo of this person's
 * own changes only, and teammates' selections through Yjs awareness.
 */
import * as Y from 'yjs';
import type { ProjectedIssue } from '$db/schema/campaigns';
import { graphIssues, metaValue, readCampaignDocument } from '$server/campaigns/document-check';
import { getStepType } from '$server/campaigns/steps/registry';
import type { OptOutPolicy } from '$server/campaigns/templates/opt-out';
import { edgesFromOutput, edgeValue, newId, withPath } from '$lib/campaigns-graph';
import { LiveDoc, type LiveDocOptions } from './live-doc.svelte';

/** A teammate in this document (one entry per tab), and what they have selected. */
export interface CampaignPeer {
	clientId: number;
	userId: string;
	name: string;
	color: string;
	selection: string | null;
}

interface PeerState {
	user?: { id?: unknown; name?: unknown; color?: unknown };
	selection?: unknown;
}

/** The Start node's fixed id: two editors initialising an empty campaign at once make one Start, not two. */
export const START_ID = 'start';

export class CampaignDoc {
	readonly live: LiveDoc;
	/** Marks this tab's own transactions: the undo manager tracks only these. */
	readonly origin = { campaignEditor: true };
	readonly undo: Y.UndoManager;
	/** Bumped on every change to the document; what the derived values below depend on. */
	version = $state(0);
	meta = $state.raw<Record<string, unknown>>({});
	nodes = $state.raw<Record<string, unknown>>({});
	edges = $state.raw<Record<string, unknown>>({});
	canUndo = $state(false);
	canRedo = $state(false);
	peers = $state.raw<CampaignPeer[]>([]);
	/** Members' ids (a Notify step naming someone who left is an issue) and saved filter ids. */
	memberIds = $state.raw<string[]>([]);
	filterIds = $state.raw<string[] | null>(null);
	/** The workspace's opt-out rule (Messaging settings); the default until the page says. */
	optOutPolicy = $state.raw<OptOutPolicy | undefined>(undefined);

	readonly issues: ProjectedIssue[] = $derived.by(() => {
		void this.version;
		return this.#check();
	});
	readonly errorCount = $derived(this.issues.filter((issue) => issue.severity === 'error').length);

	readonly #cleanups: (() => void)[] = [];

	constructor(options: LiveDocOptions) {
		this.live = new LiveDoc(options);
		const doc = this.live.doc;
		const roots = [doc.getMap('meta'), doc.getMap('nodes'), doc.getMap('edges')];
		// Yjs reads this set; it is never changed, so it needs no reactivity.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		this.undo = new Y.UndoManager(roots, { trackedOrigins: new Set([this.origin]), captureTimeout: 500 });
		const refresh = () => {
			this.meta = roots[0]!.toJSON();
			this.nodes = roots[1]!.toJSON();
			this.edges = roots[2]!.toJSON();
			this.version++;
		};
		const stacks = () => {
			this.canUndo = this.undo.canUndo();
			this.canRedo = this.undo.canRedo();
		};
		for (const root of roots) root.observeDeep(refresh);
		this.undo.on('stack-item-added', stacks);
		this.undo.on('stack-item-popped', stacks);
		this.undo.on('stack-cleared', stacks);
		refresh();

		const awareness = this.live.awareness;
		const onAwareness = () => {
			const peers: CampaignPeer[] = [];
			for (const [clientId, raw] of awareness.getStates()) {
				if (clientId === awareness.clientID) continue;
				const state = raw as PeerState;
				const user = state.user;
				if (!user || typeof user.id !== 'string') continue;
				peers.push({
					clientId,
					userId: user.id,
					name: typeof user.name === 'string' ? user.name : 'Someone',
					color: typeof user.color === 'string' ? user.color : 'gray',
					selection: typeof state.selection === 'string' ? state.selection : null
				});
			}
			this.peers = peers;
		};
		awareness.on('change', onAwareness);
		this.#cleanups.push(() => {
			for (const root of roots) root.unobserveDeep(refresh);
			awareness.off('change', onAwareness);
			this.undo.destroy();
		});
	}

	#check(): ProjectedIssue[] {
		const read = readCampaignDocument(this.live.doc);
		const issues = [...read.issues];
		metaValue(read.meta, 'vertical', issues);
		const channel = metaValue(read.meta, 'channel', issues);
		const filterId = metaValue(read.meta, 'audienceFilterId', issues);
		if (filterId && this.filterIds && !this.filterIds.includes(filterId)) {
			issues.push({ root: 'meta', field: 'audienceFilterId', code: 'unknown_audience', severity: 'error', message: 'That saved filter no longer exists; choose another audience.' });
		}
		issues.push(...graphIssues(read, { channel, memberIds: this.memberIds.length ? this.memberIds : undefined, optOutPolicy: this.optOutPolicy }));
		return issues;
	}

	#transact(change: () => void): void {
		this.live.doc.transact(change, this.origin);
	}

	#nodes(): Y.Map<unknown> {
		return this.live.doc.getMap('nodes');
	}

	#edges(): Y.Map<unknown> {
		return this.live.doc.getMap('edges');
	}

	/**
	 * A node as a Y.Map with its config a Y.Map, converting a plain-object node (the shape
	 * allows both) the first time someone edits it, so later edits are key by key.
	 */
	#nodeMap(id: string): Y.Map<unknown> | null {
		const nodes = this.#nodes();
		const current = nodes.get(id);
		if (current instanceof Y.Map) {
			if (!(current.get('config') instanceof Y.Map)) current.set('config', toYMap(plain(current.get('config'))));
			return current;
		}
		if (typeof current !== 'object' || current === null) return null;
		const value = plain(current);
		const node = new Y.Map<unknown>();
		for (const [key, field] of Object.entries(value)) node.set(key, key === 'config' ? toYMap(plain(field)) : field);
		nodes.set(id, node);
		return node;
	}

	/**
	 * A new campaign's document starts empty (server/campaigns/service.ts): the first editor
	 * to open it adds the Start step and SMS. Not undoable; ids fixed so racing tabs agree.
	 */
	initialise(): void {
		if (this.#nodes().size > 0 || this.live.doc.getMap('meta').size > 0) return;
		this.live.doc.transact(() => {
			this.#nodes().set(START_ID, newNodeMap('start', { x: 0, y: 0 }));
			this.live.doc.getMap('meta').set('channel', 'sms');
		});
	}

	setMeta(field: string, value: unknown): void {
		this.#transact(() => {
			const meta = this.live.doc.getMap('meta');
			if (value === null || value === undefined || value === '') meta.delete(field);
			else meta.set(field, value);
		});
	}

	addNode(type: string, position: { x: number; y: number }): string {
		const id = newId('n');
		this.#transact(() => this.#nodes().set(id, newNodeMap(type, position)));
		return id;
	}

	moveNodes(moves: readonly { id: string; position: { x: number; y: number } }[]): void {
		this.#transact(() => {
			for (const move of moves) this.#nodeMap(move.id)?.set('position', { x: Math.round(move.position.x), y: Math.round(move.position.y) });
		});
	}

	/** Sets one field of a node's config by dotted path. */
	setField(nodeId: string, path: string, value: unknown): void {
		this.#transact(() => {
			const node = this.#nodeMap(nodeId);
			const config = node?.get('config');
			if (!(config instanceof Y.Map)) return;
			const change = withPath(config.toJSON() as Record<string, unknown>, path, value);
			if (change.value === undefined) config.delete(change.key);
			else config.set(change.key, change.value);
		});
	}

	/** Connects an output to a step, replacing what that output led to before. */
	connect(connection: { source: string; target: string; sourceHandle?: string | null }): void {
		if (connection.source === connection.target) return;
		this.#transact(() => {
			const edges = this.#edges();
			for (const id of edgesFromOutput(edges.toJSON(), connection.source, connection.sourceHandle)) edges.delete(id);
			edges.set(newId('e'), edgeValue(connection));
		});
	}

	/** Removes steps (never Start's last copy) and connections, with every edge touching a removed step. */
	remove(nodeIds: readonly string[], edgeIds: readonly string[] = []): void {
		this.#transact(() => {
			const nodes = this.#nodes();
			const edges = this.#edges();
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- local to this transaction
			const gone = new Set(nodeIds.filter((id) => nodes.has(id)));
			for (const id of gone) nodes.delete(id);
			for (const id of edgeIds) edges.delete(id);
			for (const [id, raw] of edges.entries()) {
				const edge = plain(raw instanceof Y.Map ? raw.toJSON() : raw);
				if (gone.has(edge.source as string) || gone.has(edge.target as string)) edges.delete(id);
			}
		});
	}

	/** Tells teammates which step this tab has selected (outlined on their canvas). */
	select(nodeId: string | null): void {
		this.live.awareness.setLocalStateField('selection', nodeId);
	}

	destroy(): void {
		for (const cleanup of this.#cleanups) cleanup();
		this.live.destroy();
	}
}

function plain(value: unknown): Record<string, unknown> {
	if (value instanceof Y.Map) return value.toJSON() as Record<string, unknown>;
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function toYMap(values: Record<string, unknown>): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	for (const [key, value] of Object.entries(values)) map.set(key, structuredClone(value));
	return map;
}

function newNodeMap(type: string, position: { x: number; y: number }): Y.Map<unknown> {
	const node = new Y.Map<unknown>();
	node.set('type', type);
	node.set('position', { x: Math.round(position.x), y: Math.round(position.y) });
	node.set('config', toYMap(getStepType(type).defaults()));
	return node;
}
