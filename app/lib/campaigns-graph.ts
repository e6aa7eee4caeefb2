/**
 * The campaign document (server/campaigns/document.ts) as the canvas draws it, and back:
 * plain functions from the document's JSON to xyflow nodes and edges, issues grouped per
 * node, the phone outline, config paths and one-line summaries. Pure, so it is unit-tested.
 */
// Relative imports (not $server): this module is unit-tested outside SvelteKit, like save-status.ts.
import type { ProjectedIssue } from '../../db/schema/campaigns';
import { formatMinutes } from '../../server/campaigns/steps/shared';
import { findStepType, outputsOf, type StepOutput } from '../../server/campaigns/steps/registry';

/** What a step node carries for its component: everything it draws comes from the document. */
export interface StepNodeData extends Record<string, unknown> {
	type: string;
	config: Record<string, unknown>;
	issues: ProjectedIssue[];
	outputs: StepOutput[];
	/** Names of teammates with this node selected, with their colour. */
	peers: { name: string; color: string }[];
}

/** The fields of an xyflow node the mapping sets or keeps (a structural subset of its Node type). */
export interface FlowNode {
	id: string;
	type: string;
	position: { x: number; y: number };
	data: StepNodeData;
	selected?: boolean;
	dragging?: boolean;
	measured?: { width?: number; height?: number };
	width?: number;
	height?: number;
	class?: string;
}

export interface FlowEdge {
	id: string;
	source: string;
	target: string;
	sourceHandle?: string | null;
	selected?: boolean;
	label?: string;
	class?: string;
	data?: { invalid: boolean };
}

function record(value: unknown): Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function position(value: unknown): { x: number; y: number } {
	const p = record(value);
	return { x: typeof p.x === 'number' && Number.isFinite(p.x) ? p.x : 0, y: typeof p.y === 'number' && Number.isFinite(p.y) ? p.y : 0 };
}

/** Issues by the node they are about; issues of an edge also count for its source node. */
export function issuesByNode(issues: readonly ProjectedIssue[]): Map<string, ProjectedIssue[]> {
	const byNode = new Map<string, ProjectedIssue[]>();
	for (const issue of issues) {
		if (!issue.nodeId) continue;
		byNode.set(issue.nodeId, [...(byNode.get(issue.nodeId) ?? []), issue]);
	}
	return byNode;
}

/**
 * Nodes from the document's `nodes` JSON. What only this browser knows (selection, measured
 * size, a drag in progress) is kept from `previous`, and a node this browser is dragging
 * keeps its local position so a peer's late echo cannot pull it back under the pointer.
 */
export function toFlowNodes(
	nodesJson: Record<string, unknown>,
	issues: readonly ProjectedIssue[],
	previous: readonly FlowNode[] = [],
	peers: ReadonlyMap<string, { name: string; color: string }[]> = new Map()
): FlowNode[] {
	const before = new Map(previous.map((node) => [node.id, node]));
	const byNode = issuesByNode(issues);
	const result: FlowNode[] = [];
	for (const [id, raw] of Object.entries(nodesJson)) {
		const node = record(raw);
		const type = typeof node.type === 'string' ? node.type : 'unknown';
		const config = record(node.config);
		const old = before.get(id);
		result.push({
			id,
			type: 'step',
			position: old?.dragging ? old.position : position(node.position),
			data: { type, config, issues: byNode.get(id) ?? [], outputs: outputsOf({ type, config }), peers: peers.get(id) ?? [] },
			...(old?.selected ? { selected: true } : {}),
			...(old?.dragging ? { dragging: true } : {}),
			...(old?.measured ? { measured: old.measured } : {}),
			...(old?.width !== undefined ? { width: old.width } : {}),
			...(old?.height !== undefined ? { height: old.height } : {})
		});
	}
	return result.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Edges from the document's `edges` JSON, labelled with their output when the source has several. */
export function toFlowEdges(edgesJson: Record<string, unknown>, nodesJson: Record<string, unknown>, issues: readonly ProjectedIssue[], previous: readonly FlowEdge[] = []): FlowEdge[] {
	const selected = new Set(previous.filter((edge) => edge.selected).map((edge) => edge.id));
	const invalid = new Set(issues.filter((issue) => issue.edgeId && issue.severity === 'error').map((issue) => issue.edgeId));
	const result: FlowEdge[] = [];
	for (const [id, raw] of Object.entries(edgesJson)) {
		const edge = record(raw);
		if (typeof edge.source !== 'string' || typeof edge.target !== 'string') continue;
		const sourceNode = record(nodesJson[edge.source]);
		const outputs = typeof sourceNode.type === 'string' ? outputsOf({ type: sourceNode.type, config: sourceNode.config }) : [];
		const handle = typeof edge.sourceHandle === 'string' ? edge.sourceHandle : null;
		const label = outputs.length > 1 ? outputs.find((output) => output.id === handle)?.label : undefined;
		result.push({
			id,
			source: edge.source,
			target: edge.target,
			sourceHandle: handle,
			...(label ? { label } : {}),
			...(selected.has(id) ? { selected: true } : {}),
			...(invalid.has(id) ? { class: 'invalid' } : {}),
			data: { invalid: invalid.has(id) }
		});
	}
	return result.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The document's value for an edge drawn from `source`'s output `handle` to `target`. */
export function edgeValue(connection: { source: string; target: string; sourceHandle?: string | null }): { source: string; target: string; sourceHandle?: string } {
	return connection.sourceHandle ? { source: connection.source, target: connection.target, sourceHandle: connection.sourceHandle } : { source: connection.source, target: connection.target };
}

/**
 * Edges an output already has: each output leads to one step, so connecting it again
 * replaces the old edge rather than adding an invalid second one.
 */
export function edgesFromOutput(edgesJson: Record<string, unknown>, source: string, handle: string | null | undefined): string[] {
	return Object.entries(edgesJson)
		.filter(([, raw]) => {
			const edge = record(raw);
			return edge.source === source && (edge.sourceHandle ?? null) === (handle ?? null);
		})
		.map(([id]) => id);
}

export interface OutlineItem {
	id: string;
	type: string;
	depth: number;
	/** The output of the previous step that leads here, when it has several. */
	via: string | null;
	/** Already listed above (a loop or a join): shown as a reference, not again in full. */
	repeat: boolean;
}

/**
 * The graph as an ordered outline for small screens: depth-first from Start, following each
 * node's outputs in order, then anything unreachable. Every node appears in full once.
 */
export function outline(nodesJson: Record<string, unknown>, edgesJson: Record<string, unknown>): OutlineItem[] {
	const nodes = new Map(Object.entries(nodesJson).map(([id, raw]) => [id, record(raw)]));
	const edges = Object.values(edgesJson).map(record);
	const items: OutlineItem[] = [];
	const seen = new Set<string>();
	const visit = (id: string, depth: number, via: string | null) => {
		const node = nodes.get(id);
		if (!node) return;
		const type = typeof node.type === 'string' ? node.type : 'unknown';
		if (seen.has(id)) {
			items.push({ id, type, depth, via, repeat: true });
			return;
		}
		seen.add(id);
		items.push({ id, type, depth, via, repeat: false });
		const outputs = outputsOf({ type, config: node.config });
		const many = outputs.length > 1;
		// An edge without a handle leaves by the only output (validateGraph reads it the same way).
		const fallback = many ? null : (outputs[0]?.id ?? null);
		for (const output of outputs) {
			const edge = edges.find((e) => e.source === id && (typeof e.sourceHandle === 'string' ? e.sourceHandle : fallback) === output.id);
			if (edge && typeof edge.target === 'string') visit(edge.target, many ? depth + 1 : depth, many ? output.label : null);
		}
	};
	const ids = [...nodes.keys()].sort();
	for (const id of ids) if (nodes.get(id)?.type === 'start') visit(id, 0, null);
	for (const id of ids) if (!seen.has(id)) visit(id, 0, null);
	return items;
}

/** A dotted path's value in a config ("window.days"). */
export function getPath(config: Record<string, unknown>, path: string): unknown {
	let value: unknown = config;
	for (const key of path.split('.')) {
		if (typeof value !== 'object' || value === null) return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

/**
 * The top-level key a field lives under and that key's new value with `path` set: configs
 * are stored key by key, so two people editing different fields never overwrite each other.
 */
export function withPath(config: Record<string, unknown>, path: string, value: unknown): { key: string; value: unknown } {
	const [key, ...rest] = path.split('.') as [string, ...string[]];
	if (rest.length === 0) return { key, value };
	const inner = structuredClone(record(config[key]));
	let node = inner;
	for (const part of rest.slice(0, -1)) {
		node[part] = structuredClone(record(node[part]));
		node = node[part] as Record<string, unknown>;
	}
	node[rest.at(-1) as string] = value;
	return { key, value: inner };
}

function list(values: unknown): string[] {
	return Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

const DAY_SHORT: Record<string, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

/** One line on what a step does with its current config, for the node and the outline. */
export function summarize(type: string, config: Record<string, unknown>, memberName: (id: string) => string | null = () => null): string {
	switch (type) {
		case 'start':
			return 'Leads of the audience enter here.';
		case 'stop':
			return 'The campaign ends for the lead.';
		case 'send_message': {
			const body = typeof config.body === 'string' ? config.body.trim() : '';
			return body ? body.replace(/\s+/g, ' ') : 'No message yet';
		}
		case 'wait': {
			if (config.mode === 'window') {
				const window = record(config.window);
				const days = list(window.days).map((d) => DAY_SHORT[d] ?? d);
				return `Until ${days.length ? days.join(', ') : 'no days'} ${typeof window.start === 'string' ? window.start : '?'}–${typeof window.end === 'string' ? window.end : '?'}`;
			}
			return typeof config.minutes === 'number' ? `For ${formatMinutes(config.minutes)}` : 'No duration yet';
		}
		case 'branch_on_reply': {
			const branches = Array.isArray(config.branches) ? config.branches.map((b) => record(b).label).filter((l): l is string => typeof l === 'string' && l !== '') : [];
			return branches.length ? `By reply: ${branches.join(', ')}` : 'Any reply continues';
		}
		case 'tag_lead': {
			const tags = list(config.tags);
			return tags.length ? `${config.action === 'remove' ? 'Remove' : 'Add'} ${tags.join(', ')}` : 'No tags yet';
		}
		case 'add_to_dnc':
			return typeof config.reason === 'string' && config.reason ? `Do not contact: ${config.reason}` : 'Do not contact';
		case 'notify_teammate': {
			const who = typeof config.memberId === 'string' ? memberName(config.memberId) : null;
			return who ? `Tell ${who}` : 'No teammate chosen';
		}
		default:
			return findStepType(type)?.manifest.description ?? `Unknown step type “${type}”`;
	}
}

/** A fresh id for a node or edge: short, unique enough for one document, valid in a DOM id. */
export function newId(prefix: string): string {
	const bytes = crypto.getRandomValues(new Uint8Array(6));
	return `${prefix}_${Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('')}`;
}
