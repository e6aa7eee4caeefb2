import { checkOptOut, DEFAULT_OPT_OUT_POLICY, type OptOutPolicy } from '../templates/opt-out';
import { parseTemplate } from '../templates/parse';
import { addToDncStep } from './add-to-dnc';
import { findStepType, outputsOf, validateStep, type CampaignStep } from './catalog';
import type { FieldIssue, ValidationContext } from './define';
import { sendMessageStep } from './send-message';
import { startStep } from './start';
import { waitStep } from './wait';

/** An edge of the canvas; `sourceHandle` names the output it leaves by (xyflow's field). */
export interface CampaignEdge {
	id: string;
	source: string;
	target: string;
	sourceHandle?: string | null;
}

export interface CampaignGraph {
	nodes: readonly CampaignStep[];
	edges: readonly CampaignEdge[];
}

/**
 * One problem, addressed to the node (and field) or edge to mark on the canvas; neither
 * for the campaign as a whole ("no start").
 */
export interface GraphIssue extends Omit<FieldIssue, 'field'> {
	nodeId?: string;
	edgeId?: string;
	field?: string;
}

export interface GraphValidationOptions extends ValidationContext {
	/** The workspace's policy; the default when the workspace has none. */
	optOutPolicy?: OptOutPolicy;
}

const START = startStep.type;
const SEND = sendMessageStep.type;
const WAIT = waitStep.type;
const DNC = addToDncStep.type;

function reachableFrom(roots: Iterable<string>, next: Map<string, string[]>, through: (id: string) => boolean = () => true): Set<string> {
	const seen = new Set<string>();
	const queue = [...roots];
	while (queue.length > 0) {
		const id = queue.shift() as string;
		if (seen.has(id)) continue;
		seen.add(id);
		if (through(id)) queue.push(...(next.get(id) ?? []));
	}
	return seen;
}

/** Strongly connected components that form a loop (two nodes or more, or a self-edge). Tarjan. */
function loops(ids: readonly string[], next: Map<string, string[]>): string[][] {
	let counter = 0;
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const found: string[][] = [];
	const visit = (id: string) => {
		index.set(id, counter);
		low.set(id, counter++);
		stack.push(id);
		onStack.add(id);
		for (const to of next.get(id) ?? []) {
			if (!index.has(to)) {
				visit(to);
				low.set(id, Math.min(low.get(id) as number, low.get(to) as number));
			} else if (onStack.has(to)) low.set(id, Math.min(low.get(id) as number, index.get(to) as number));
		}
		if (low.get(id) !== index.get(id)) return;
		const component: string[] = [];
		let member: string;
		do {
			member = stack.pop() as string;
			onStack.delete(member);
			component.push(member);
		} while (member !== id);
		if (component.length > 1 || (next.get(id) ?? []).includes(id)) found.push(component.reverse());
	};
	for (const id of ids) if (!index.has(id)) visit(id);
	return found;
}

/**
 * Everything that makes a campaign unsendable or surprising, each addressed to what the
 * canvas should mark: exactly one start, every node reachable, no dangling edges, every
 * edge of a multi-output node leaving by a named output, loops only through a wait, at
 * least one send, opt-out wording on the first send (per policy), no send after
 * do-not-contact, and each node's own field issues.
 */
export function validateGraph(graph: CampaignGraph, options: GraphValidationOptions = {}): GraphIssue[] {
	const issues: GraphIssue[] = [];
	const nodes = new Map<string, CampaignStep>();
	for (const node of graph.nodes) {
		if (nodes.has(node.id)) issues.push({ nodeId: node.id, code: 'duplicate_node', severity: 'error', message: 'Two nodes share this id.' });
		nodes.set(node.id, node);
		for (const issue of validateStep(node, options)) issues.push({ ...issue, nodeId: node.id });
	}
	const typed = (type: string) => [...nodes.values()].filter((node) => node.type === type).map((node) => node.id);

	const starts = typed(START);
	if (starts.length === 0) issues.push({ code: 'no_start', severity: 'error', message: 'Add a Start step: it is where leads enter.' });
	if (starts.length > 1) for (const id of starts) issues.push({ nodeId: id, code: 'extra_start', severity: 'error', message: 'A campaign has exactly one Start; remove the others.' });

	const next = new Map<string, string[]>();
	const used = new Set<string>();
	for (const edge of graph.edges) {
		const source = nodes.get(edge.source);
		const target = nodes.get(edge.target);
		if (!source || !target) {
			const nodeId = source ? source.id : target?.id;
			issues.push({ edgeId: edge.id, ...(nodeId ? { nodeId } : {}), code: 'dangling_edge', severity: 'error', message: 'This connection leads to or from a step that no longer exists.' });
			continue;
		}
		if (target.type === START) {
			issues.push({ edgeId: edge.id, nodeId: target.id, code: 'edge_into_start', severity: 'error', message: 'Nothing can lead back into Start.' });
			continue;
		}
		const outputs = outputsOf(source);
		if (outputs.length === 0) {
			if (findStepType(source.type)) issues.push({ edgeId: edge.id, nodeId: source.id, code: 'no_outputs', severity: 'error', message: 'This step ends the campaign; nothing can follow it.' });
			continue;
		}
		const handle = edge.sourceHandle ?? (outputs.length === 1 ? outputs[0]?.id : undefined);
		if (handle === undefined) {
			issues.push({ edgeId: edge.id, nodeId: source.id, code: 'unlabelled_output', severity: 'error', message: 'Connect from one of this step’s named outputs.' });
			continue;
		}
		if (!outputs.some((output) => output.id === handle)) {
			issues.push({ edgeId: edge.id, nodeId: source.id, code: 'unknown_output', severity: 'error', message: 'This connection leaves by an output the step no longer has.' });
			continue;
		}
		const key = `${source.id}\u0000${handle}`;
		if (used.has(key)) {
			issues.push({ edgeId: edge.id, nodeId: source.id, code: 'duplicate_output', severity: 'error', message: 'Each output leads to one step only.' });
			continue;
		}
		used.add(key);
		next.set(source.id, [...(next.get(source.id) ?? []), target.id]);
	}

	const reachable = reachableFrom(starts, next);
	if (starts.length > 0) {
		for (const id of nodes.keys()) if (!reachable.has(id)) issues.push({ nodeId: id, code: 'unreachable', severity: 'error', message: 'No path from Start reaches this step.' });
	}

	// A loop must pause somewhere, or a lead would be texted again and again at once.
	const pauseFree = new Map([...next].filter(([id]) => nodes.get(id)?.type !== WAIT).map(([id, to]) => [id, to.filter((target) => nodes.get(target)?.type !== WAIT)]));
	for (const loop of loops([...pauseFree.keys()], pauseFree)) {
		for (const id of loop) issues.push({ nodeId: id, code: 'loop_without_wait', severity: 'error', message: 'This step is in a loop with no Wait: add a Wait to the loop.' });
	}

	const sends = typed(SEND);
	if (!sends.some((id) => starts.length === 0 || reachable.has(id))) issues.push({ code: 'no_send', severity: 'error', message: 'Add a Send message step reachable from Start.' });

	const policy = options.optOutPolicy ?? DEFAULT_OPT_OUT_POLICY;
	const firstSends = reachableFrom(starts, next, (id) => nodes.get(id)?.type !== SEND);
	const mustCarry = policy.appliesTo === 'every_send' ? sends : policy.appliesTo === 'first_send' ? sends.filter((id) => firstSends.has(id)) : [];
	for (const id of mustCarry) {
		const body = (nodes.get(id)?.config as { body?: unknown } | undefined)?.body;
		if (typeof body !== 'string' || body.trim() === '') continue; // already "Write the message."
		const result = checkOptOut(policy, parseTemplate(body));
		if (!result.ok) issues.push({ nodeId: id, field: 'body', code: 'opt_out_missing', severity: 'error', message: result.message });
	}

	const afterDnc = reachableFrom(
		typed(DNC).flatMap((id) => next.get(id) ?? []),
		next
	);
	for (const id of sends) {
		if (afterDnc.has(id)) issues.push({ nodeId: id, code: 'send_after_dnc', severity: 'error', message: 'This message would go to a lead just added to do-not-contact.' });
	}

	for (const id of reachable) {
		const node = nodes.get(id) as CampaignStep;
		const outputs = outputsOf(node);
		if (outputs.length < 2) continue;
		for (const output of outputs) {
			if (!used.has(`${id}\u0000${output.id}`)) issues.push({ nodeId: id, code: 'unconnected_output', severity: 'warning', message: `Leads leaving by “${output.label}” stop here.` });
		}
	}
	return issues;
}
