import { describe, expect, it } from 'vitest';
import { DEFAULT_OPT_OUT_POLICY } from '../../server/campaigns/templates/opt-out';
import { validateGraph, type CampaignEdge, type CampaignGraph, type CampaignStep, type GraphIssue } from '../../server/campaigns/steps/registry';

const OPT_OUT = 'Hi {{first_name|there}}, thinking of selling? Reply STOP to opt out';
const FOLLOW_UP = 'Just checking in, {{first_name|there}}.';

const node = (id: string, type: string, config: unknown = {}): CampaignStep => ({ id, type, config });
const send = (id: string, body = OPT_OUT) => node(id, 'send_message', { body });
const wait = (id: string) => node(id, 'wait', { mode: 'duration', minutes: 60 });
const branch = (id: string) => node(id, 'branch_on_reply', { branches: [{ id: 'yes', label: 'Interested', keywords: ['yes'] }], noReplyAfterMinutes: 1440 });
const edge = (source: string, target: string, sourceHandle?: string): CampaignEdge => ({ id: `${source}>${target}${sourceHandle ? `:${sourceHandle}` : ''}`, source, target, sourceHandle });

/** Start → first text → wait → branch: yes → tag → notify; other → stop; no reply → follow-up → stop. */
function campaign(): { nodes: CampaignStep[]; edges: CampaignEdge[] } {
	return {
		nodes: [
			node('start', 'start'),
			send('first'),
			wait('pause'),
			branch('reply'),
			node('tag', 'tag_lead', { action: 'add', tags: ['interested'] }),
			node('notify', 'notify_teammate', { memberId: '0b7e4a52-6f1c-4a8e-9d2b-3c4d5e6f7a8b', message: '{{full_name|A lead}} is interested' }),
			node('end', 'stop'),
			send('follow', FOLLOW_UP),
			node('end2', 'stop')
		],
		edges: [
			edge('start', 'first'),
			edge('first', 'pause'),
			edge('pause', 'reply'),
			edge('reply', 'tag', 'yes'),
			edge('tag', 'notify'),
			edge('reply', 'end', 'other'),
			edge('reply', 'follow', 'no_reply'),
			edge('follow', 'end2')
		]
	};
}

const codes = (issues: GraphIssue[]) => issues.map((issue) => [issue.code, issue.nodeId ?? issue.edgeId ?? null]);
const errors = (graph: CampaignGraph, options = {}) => codes(validateGraph(graph, options).filter((issue) => issue.severity === 'error'));

describe('campaign graph validation', () => {
	it('accepts a complete campaign without a single remark', () => {
		expect(validateGraph(campaign(), { channel: 'sms' })).toEqual([]);
	});

	it('needs exactly one start', () => {
		const graph = campaign();
		expect(errors({ ...graph, nodes: graph.nodes.filter((n) => n.id !== 'start'), edges: graph.edges.filter((e) => e.source !== 'start') })).toContainEqual(['no_start', null]);
		const twice = { nodes: [...graph.nodes, node('start2', 'start')], edges: [...graph.edges, edge('start2', 'first')] };
		expect(errors(twice)).toEqual([
			['extra_start', 'start'],
			['extra_start', 'start2']
		]);
	});

	it('marks steps no path from start reaches', () => {
		const graph = campaign();
		graph.nodes.push(send('orphan', FOLLOW_UP));
		expect(errors(graph)).toEqual([['unreachable', 'orphan']]);
	});

	it('marks dangling edges, and edges into start or out of stop', () => {
		const graph = campaign();
		graph.edges.push(edge('first', 'ghost'), edge('end', 'first'), edge('end2', 'start'));
		expect(errors(graph)).toEqual([
			['dangling_edge', 'first'],
			['no_outputs', 'end'],
			['edge_into_start', 'start']
		]);
		const dangling = validateGraph(graph).find((issue) => issue.code === 'dangling_edge');
		expect(dangling).toMatchObject({ edgeId: 'first>ghost', nodeId: 'first' });
	});

	it('needs branch edges to leave by a named, existing output, one edge per output', () => {
		const graph = campaign();
		graph.edges.push({ id: 'bare', source: 'reply', target: 'end' }, edge('reply', 'end', 'maybe'), { id: 'again', source: 'reply', target: 'end2', sourceHandle: 'other' });
		expect(validateGraph(graph).map((issue) => [issue.code, issue.edgeId])).toEqual([
			['unlabelled_output', 'bare'],
			['unknown_output', 'reply>end:maybe'],
			['duplicate_output', 'again']
		]);
	});

	it('accepts single-output edges with or without the handle name', () => {
		const graph = campaign();
		graph.edges[0] = edge('start', 'first', 'next');
		expect(errors(graph)).toEqual([]);
	});

	it('allows loops only through a wait', () => {
		const graph = campaign();
		graph.edges.push(edge('notify', 'pause'));
		expect(errors(graph)).toEqual([]); // notify → pause → reply → tag → notify: passes the wait

		const tight = campaign();
		tight.nodes = tight.nodes.filter((n) => n.id !== 'end2');
		tight.edges = tight.edges.filter((e) => e.source !== 'follow');
		tight.edges.push(edge('follow', 'reply'));
		expect(errors(tight)).toEqual([
			['loop_without_wait', 'reply'],
			['loop_without_wait', 'follow']
		]);
	});

	it('refuses a send that loops onto itself, but not a wait', () => {
		const graph = { nodes: [node('s', 'start'), send('a'), wait('w')], edges: [edge('s', 'a'), edge('a', 'w'), edge('w', 'w')] };
		expect(errors(graph)).toEqual([]);
		const self = { nodes: [node('s', 'start'), send('a')], edges: [edge('s', 'a'), edge('a', 'a')] };
		expect(errors(self)).toEqual([['loop_without_wait', 'a']]);
	});

	it('needs at least one send reachable from start', () => {
		const graph = { nodes: [node('s', 'start'), wait('w'), node('t', 'tag_lead', { tags: ['x'] })], edges: [edge('s', 'w'), edge('w', 't')] };
		expect(errors(graph)).toEqual([['no_send', null]]);
	});

	it('requires opt-out wording on each first send, including sends behind a branch', () => {
		const graph = { nodes: [node('s', 'start'), branch('b'), send('yes', 'Great!'), send('quiet', OPT_OUT), send('later', 'Still there?')], edges: [edge('s', 'b'), edge('b', 'yes', 'yes'), edge('b', 'quiet', 'no_reply'), edge('quiet', 'later')] };
		const issues = validateGraph(graph).filter((issue) => issue.code === 'opt_out_missing');
		expect(issues).toEqual([{ nodeId: 'yes', field: 'body', code: 'opt_out_missing', severity: 'error', message: expect.stringMatching(/opt-out wording/) }]);
		const every = validateGraph(graph, { optOutPolicy: { ...DEFAULT_OPT_OUT_POLICY, appliesTo: 'every_send' } });
		expect(codes(every.filter((issue) => issue.code === 'opt_out_missing'))).toEqual([
			['opt_out_missing', 'yes'],
			['opt_out_missing', 'later']
		]);
		expect(validateGraph(graph, { optOutPolicy: { ...DEFAULT_OPT_OUT_POLICY, appliesTo: 'none' } }).some((issue) => issue.code === 'opt_out_missing')).toBe(false);
	});

	it('refuses a send downstream of do-not-contact', () => {
		const graph = campaign();
		graph.nodes = [...graph.nodes.filter((n) => n.id !== 'end'), node('dnc', 'add_to_dnc', {})];
		graph.edges = graph.edges.filter((e) => e.target !== 'end');
		graph.edges.push(edge('reply', 'dnc', 'other'), edge('dnc', 'follow'));
		expect(errors(graph)).toEqual([['send_after_dnc', 'follow']]);
	});

	it('carries each node’s own field issues, addressed to the node and field', () => {
		const graph = campaign();
		graph.nodes[1] = send('first', 'Hi {{frist_name}} Reply STOP to opt out');
		graph.nodes.push(node('odd', 'send_fax'));
		graph.edges.push(edge('tag', 'odd'));
		const issues = validateGraph(graph);
		expect(issues).toContainEqual(expect.objectContaining({ nodeId: 'first', field: 'body', code: 'unknown_merge_field', start: 3, end: 17 }));
		expect(issues).toContainEqual(expect.objectContaining({ nodeId: 'odd', field: 'type', code: 'unknown_type' }));
	});

	it('warns about branch outputs that lead nowhere', () => {
		const graph = campaign();
		graph.edges = graph.edges.filter((e) => e.sourceHandle !== 'no_reply' && e.source !== 'follow');
		graph.nodes = graph.nodes.filter((n) => n.id !== 'follow' && n.id !== 'end2');
		expect(validateGraph(graph)).toEqual([{ nodeId: 'reply', code: 'unconnected_output', severity: 'warning', message: 'Leads leaving by “No reply after 1 day” stop here.' }]);
	});

	it('marks duplicate node ids', () => {
		const graph = campaign();
		graph.nodes.push(node('tag', 'tag_lead', { tags: ['x'] }));
		expect(errors(graph)).toEqual([['duplicate_node', 'tag']]);
	});
});
