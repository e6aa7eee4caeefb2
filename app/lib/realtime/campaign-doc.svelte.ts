/**
 * A campaign's live document for the builder: the `meta`, `nodes` and `edges` roots as
 * reactive plain data, the same issues the server projects (computed here on every change,
 * so every editor sees them at once), writes in Y transactions, undo/redo of this person's
 * own changes only, and teammates' selections through Yjs awareness.
 */
import * as Y from 'yjs';
import type { ProjectedIssue } from '$db/schema/campaigns';
import { graphIssues, metaValue, readCampaignDocument } from '$server/campaigns/document-check';
import { findStepType, getStepType } from '$server/campaigns/steps/registry';
import type { OptOutPolicy } from '$server/campaigns/templates/opt-out';
import { edgesFromOutput, edgeValue, newId, withPath } from '$lib/campaigns-graph';
import { LiveDoc, type LiveDocOptions } from './live-doc.svelte';
import { diffText, rebase } from './text-delta';
import type { TextBindingOptions } from './text-binding';

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

/** A step's free-text fields (a template, a note, a reason), shared as one Y.Text each. */
export interface SharedTexts {
	/** The field's Y.Text; null while an older document still holds a plain string. Reactive. */
	textOf(field: string): Y.Text | null;
	/** Turns the field's plain string into a Y.Text (on focus, before the person types). */
	ensure(field: string): void;
	/** Replaces `from`–`to` with `insert`: the merge-field menu, the opt-out fix. */
	splice(field: string, from: number, to: number, insert: string): void;
	binding: TextBindingOptions;
}

/** Marks the transactions that turn a plain string into a Y.Text: not the person's change, so never undone. */
const CONVERSION = { campaignTextConversion: true };

/**
 * The fields a step type keeps as Y.Text: top-level `text` and `textarea` fields. A field
 * inside a list (a branch's name) stays a string: lists are written whole.
 */
export function sharedTextFields(type: string): string[] {
	return (findStepType(type)?.manifest.fields ?? []).filter((f) => (f.kind === 'text' || f.kind === 'textarea') && !f.name.includes('.')).map((f) => f.name);
}

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
	/** Y.Texts this tab made from plain strings: the string, and the text's last content (see #convert). */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, never drawn
	readonly #converted = new Map<Y.Text, { nodeId: string; field: string; base: string; last: string; stop: () => void }>();
	readonly textBinding: TextBindingOptions;

	constructor(options: LiveDocOptions) {
		this.live = new LiveDoc(options);
		const doc = this.live.doc;
		const roots = [doc.getMap('meta'), doc.getMap('nodes'), doc.getMap('edges')];
		// The scope is the roots, so a step's Y.Text fields (nested in `nodes`) are tracked too;
		// only this tab's origin is, so a teammate's typing is never undone here.
		// Yjs reads this set; it is never changed, so it needs no reactivity.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		this.undo = new Y.UndoManager(roots, { trackedOrigins: new Set([this.origin]), captureTimeout: 500 });
		this.textBinding = { origin: this.origin, undo: this.undo };
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
		const rescue = (_events: unknown, transaction: Y.Transaction) => {
			for (const [text, entry] of this.#converted) {
				if (!text._item?.deleted) continue;
				entry.stop();
				this.#converted.delete(text);
				// A teammate's conversion winning arrives from them; a local deletion (this person
				// removed the step, or undid it) has nothing to carry over.
				if (!transaction.local) queueMicrotask(() => this.#rescue(entry));
			}
		};
		roots[1]!.observeDeep(rescue);
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
			roots[1]!.unobserveDeep(rescue);
			for (const entry of this.#converted.values()) entry.stop();
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

	/** Sets one field of a node's config by dotted path; a shared text field gets the smallest edit. */
	setField(nodeId: string, path: string, value: unknown): void {
		if (typeof value === 'string' && this.#isSharedText(nodeId, path)) {
			const text = this.#convert(nodeId, path);
			if (text) this.#transact(() => text.applyDelta(diffText(text.toString(), value)));
			return;
		}
		this.#transact(() => {
			const node = this.#nodeMap(nodeId);
			const config = node?.get('config');
			if (!(config instanceof Y.Map)) return;
			const change = withPath(config.toJSON() as Record<string, unknown>, path, value);
			if (change.value === undefined) config.delete(change.key);
			else config.set(change.key, change.value);
		});
	}

	/** The node's shared text fields, for its form (see SharedTexts). */
	texts(nodeId: string): SharedTexts {
		return {
			textOf: (field) => {
				void this.version;
				return this.#textAt(nodeId, field);
			},
			ensure: (field) => {
				// Only an existing string: making an empty text for a missing field would change the content.
				const node = this.#nodes().get(nodeId);
				const config = node instanceof Y.Map ? node.get('config') : plain(node).config;
				if (typeof (config instanceof Y.Map ? config.get(field) : plain(config)[field]) === 'string') this.#convert(nodeId, field);
			},
			splice: (field, from, to, insert) => {
				const text = this.#convert(nodeId, field);
				if (!text) return;
				const start = Math.min(from, text.length);
				// One click, one undo step: not merged into the typing just before it.
				this.undo.stopCapturing();
				this.#transact(() => {
					text.delete(start, Math.max(0, Math.min(to, text.length) - start));
					if (insert) text.insert(start, insert);
				});
			},
			binding: this.textBinding
		};
	}

	#textAt(nodeId: string, field: string): Y.Text | null {
		const node = this.#nodes().get(nodeId);
		const config = node instanceof Y.Map ? node.get('config') : null;
		const value = config instanceof Y.Map ? config.get(field) : null;
		return value instanceof Y.Text ? value : null;
	}

	#isSharedText(nodeId: string, path: string): boolean {
		if (this.#textAt(nodeId, path)) return true;
		const type = (this.nodes[nodeId] as { type?: unknown } | undefined)?.type;
		return typeof type === 'string' && sharedTextFields(type).includes(path);
	}

	/**
	 * The field as a Y.Text, turning an older document's plain string into one. New nodes
	 * have Y.Texts from the start (newNodeMap), so only documents written before need this.
	 *
	 * Two tabs converting the same field at once each put their own Y.Text under the key, and
	 * Y.Map keeps one: the other tab's text, with whatever was typed into it, is deleted. So
	 * the conversion is its own untracked transaction, made on focus before any typing (the
	 * race needs two people to focus the same old field within one round trip), and this tab
	 * remembers the string it converted and the text's last content: if its text is the one
	 * deleted, what it typed (the difference from that string) is transformed over the winner's
	 * difference and applied to the winner (#rescue). What can still go wrong is bounded to
	 * edits overlapping each other's in that one moment.
	 */
	#convert(nodeId: string, field: string): Y.Text | null {
		const existing = this.#textAt(nodeId, field);
		if (existing) return existing;
		let created: Y.Text | null = null;
		this.live.doc.transact(() => {
			const config = this.#nodeMap(nodeId)?.get('config');
			if (!(config instanceof Y.Map)) return;
			const current = config.get(field);
			const base = typeof current === 'string' ? current : '';
			const text = new Y.Text(base);
			config.set(field, text);
			const entry = { nodeId, field, base, last: base, stop: () => text.unobserve(observe) };
			const observe = () => (entry.last = text.toString());
			text.observe(observe);
			this.#converted.set(text, entry);
			created = text;
		}, CONVERSION);
		return created;
	}

	/** A teammate's conversion of the same field won (see #convert): carries this tab's typing over. */
	#rescue(entry: { nodeId: string; field: string; base: string; last: string }): void {
		const winner = this.#textAt(entry.nodeId, entry.field);
		const change = winner ? rebase(entry.base, entry.last, winner.toString()) : [];
		if (winner && change.length) this.#transact(() => winner.applyDelta(change));
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
	const config = toYMap(getStepType(type).defaults());
	// Text fields are Y.Texts from the start, so concurrent typing merges and no conversion races.
	for (const field of sharedTextFields(type)) {
		const value = config.get(field);
		config.set(field, new Y.Text(typeof value === 'string' ? value : ''));
	}
	node.set('config', config);
	return node;
}
