import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ProjectedIssue } from '../../db/schema/campaigns';
import { edgesFromOutput, edgeValue, getPath, issuesByNode, outline, summarize, toFlowEdges, toFlowNodes, withPath, type FlowNode } from '../../app/lib/campaigns-graph';
import { graphIssues, readCampaignDocument } from '../../server/campaigns/document-check';

/** The campaign canvas's pure mapping: the document's JSON ⇄ xyflow nodes and edges, the outline, config paths. */

const nodes = {
	start: { type: 'start', position: { x: 0, y: 0 }, config: {} },
	send: { type: 'send_message', position: { x: 10, y: 200 }, config: { body: 'Hi {{first_name|there}}! Reply STOP to opt out.' } },
	branch: {
		type: 'branch_on_reply',
		position: { x: 0, y: 400 },
		config: { branches: [{ id: 'yes', label: 'Interested', keywords: ['yes'] }], noReplyAfterMinutes: 2880 }
	},
	tag: { type: 'tag_lead', position: { x: -200, y: 600 }, config: { action: 'add', tags: ['hot'] } },
	stop: { type: 'stop', position: { x: 200, y: 600 }, config: {} }
};
const edges = {
	e1: { source: 'start', target: 'send' },
	e2: { source: 'send', target: 'branch', sourceHandle: 'next' },
	e3: { source: 'branch', target: 'tag', sourceHandle: 'yes' },
	e4: { source: 'branch', target: 'stop', sourceHandle: 'other' },
	e5: { source: 'tag', target: 'stop' }
};

describe('toFlowNodes', () => {
	it('maps every node with its step data, outputs and issues, sorted by id', () => {
		const issues: ProjectedIssue[] = [{ nodeId: 'send', field: 'body', code: 'x', severity: 'error', message: 'Bad' }];
		const flow = toFlowNodes(nodes, issues);
		expect(flow.map((n) => n.id)).toEqual(['branch', 'send', 'start', 'stop', 'tag']);
		const send = flow.find((n) => n.id === 'send');
		expect(send).toMatchObject({ type: 'step', position: { x: 10, y: 200 }, data: { type: 'send_message', issues, outputs: [{ id: 'next' }] } });
		expect(flow.find((n) => n.id === 'branch')?.data.outputs.map((o) => o.id)).toEqual(['yes', 'other', 'no_reply']);
		expect(flow.find((n) => n.id === 'stop')?.data.outputs).toEqual([]);
	});

	it('keeps what only this browser knows, and the local position of a node being dragged', () => {
		const before: FlowNode[] = [
			{ id: 'send', type: 'step', position: { x: 500, y: 500 }, data: toFlowNodes(nodes, [])[1]!.data, selected: true, dragging: true, measured: { width: 256, height: 90 } },
			{ id: 'stop', type: 'step', position: { x: 999, y: 999 }, data: toFlowNodes(nodes, [])[3]!.data, measured: { width: 256, height: 70 } }
		];
		const flow = toFlowNodes(nodes, [], before);
		expect(flow.find((n) => n.id === 'send')).toMatchObject({ position: { x: 500, y: 500 }, selected: true, dragging: true, measured: { width: 256, height: 90 } });
		// Not dragging: the document's position wins (a teammate moved it).
		expect(flow.find((n) => n.id === 'stop')).toMatchObject({ position: { x: 200, y: 600 }, measured: { width: 256, height: 70 } });
	});

	it('tolerates malformed nodes and carries peers’ selections', () => {
		const flow = toFlowNodes({ odd: { position: 'nowhere' }, start: nodes.start }, [], [], new Map([['start', [{ name: 'Tess', color: 'red' }]]]));
		expect(flow.find((n) => n.id === 'odd')).toMatchObject({ position: { x: 0, y: 0 }, data: { type: 'unknown', outputs: [] } });
		expect(flow.find((n) => n.id === 'start')?.data.peers).toEqual([{ name: 'Tess', color: 'red' }]);
	});
});

describe('toFlowEdges', () => {
	it('labels edges of multi-output steps with their output and marks invalid ones', () => {
		const issues: ProjectedIssue[] = [{ edgeId: 'e5', code: 'dangling_edge', severity: 'error', message: 'x' }];
		const flow = toFlowEdges({ ...edges, broken: { source: 'start' } }, nodes, issues, [{ id: 'e1', source: 'start', target: 'send', selected: true }]);
		expect(flow.map((e) => e.id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
		expect(flow.find((e) => e.id === 'e3')).toMatchObject({ label: 'Interested', sourceHandle: 'yes' });
		expect(flow.find((e) => e.id === 'e4')?.label).toBe('Any other reply');
		expect(flow.find((e) => e.id === 'e2')?.label).toBeUndefined();
		expect(flow.find((e) => e.id === 'e1')).toMatchObject({ selected: true, sourceHandle: null });
		expect(flow.find((e) => e.id === 'e5')).toMatchObject({ class: 'invalid', data: { invalid: true } });
	});
});

describe('edges written back', () => {
	it('stores the handle only when there is one, and finds the edge an output already has', () => {
		expect(edgeValue({ source: 'a', target: 'b', sourceHandle: null })).toEqual({ source: 'a', target: 'b' });
		expect(edgeValue({ source: 'a', target: 'b', sourceHandle: 'yes' })).toEqual({ source: 'a', target: 'b', sourceHandle: 'yes' });
		expect(edgesFromOutput(edges, 'branch', 'yes')).toEqual(['e3']);
		expect(edgesFromOutput(edges, 'start', null)).toEqual(['e1']);
		expect(edgesFromOutput(edges, 'branch', 'no_reply')).toEqual([]);
	});
});

describe('outline', () => {
	it('lists the graph depth-first from Start, branches indented under their output, joins once', () => {
		const items = outline(nodes, edges);
		expect(items.map((i) => [i.id, i.depth, i.via, i.repeat])).toEqual([
			['start', 0, null, false],
			['send', 0, null, false],
			['branch', 0, null, false],
			['tag', 1, 'Interested', false],
			['stop', 1, null, false],
			['stop', 1, 'Any other reply', true]
		]);
	});

	it('lists unreachable steps after the flow', () => {
		const items = outline({ ...nodes, lonely: { type: 'wait', config: { mode: 'duration', minutes: 60 } } }, {});
		expect(items.map((i) => i.id)).toEqual(['start', 'branch', 'lonely', 'send', 'stop', 'tag']);
	});
});

describe('config paths', () => {
	it('reads and writes dotted paths key by key, without touching the original', () => {
		const config = { mode: 'window', window: { days: ['mon'], start: '09:00', end: '17:00' } };
		expect(getPath(config, 'window.days')).toEqual(['mon']);
		expect(getPath(config, 'window.nope.deeper')).toBeUndefined();
		const change = withPath(config, 'window.start', '10:00');
		expect(change).toEqual({ key: 'window', value: { days: ['mon'], start: '10:00', end: '17:00' } });
		expect(config.window.start).toBe('09:00');
		expect(withPath(config, 'mode', 'duration')).toEqual({ key: 'mode', value: 'duration' });
	});
});

describe('summaries', () => {
	it('says in one line what each step does', () => {
		expect(summarize('send_message', { body: 'Hi  there\nfriend' })).toBe('Hi there friend');
		expect(summarize('send_message', {})).toBe('No message yet');
		expect(summarize('wait', { mode: 'duration', minutes: 1500 })).toBe('For 1 day 1 hour');
		expect(summarize('wait', { mode: 'window', window: { days: ['mon', 'fri'], start: '09:00', end: '12:00' } })).toBe('Until Mon, Fri 09:00–12:00');
		expect(summarize('branch_on_reply', nodes.branch.config)).toBe('By reply: Interested');
		expect(summarize('tag_lead', { action: 'remove', tags: ['hot', 'cash'] })).toBe('Remove hot, cash');
		expect(summarize('notify_teammate', { memberId: 'u1' }, (id) => (id === 'u1' ? 'Tess' : null))).toBe('Tell Tess');
		expect(summarize('mystery', {})).toBe('Unknown step type “mystery”');
	});
});

describe('live issues from a Y.Doc', () => {
	it('are the same issues the server projects, addressed per node', () => {
		const doc = new Y.Doc();
		for (const [id, value] of Object.entries(nodes)) doc.getMap('nodes').set(id, value);
		for (const [id, value] of Object.entries(edges)) doc.getMap('edges').set(id, value);
		const read = readCampaignDocument(doc);
		expect(graphIssues(read, { channel: 'sms' }).filter((i) => i.severity === 'error')).toEqual([]);
		doc.getMap('nodes').set('send', { ...nodes.send, config: { body: 'Hi there' } });
		const byNode = issuesByNode(graphIssues(readCampaignDocument(doc), { channel: 'sms' }));
		expect(byNode.get('send')?.map((i) => i.code)).toEqual(['opt_out_missing']);
		expect(byNode.get('send')?.[0]?.root).toBe('nodes');
	});

	it('read a shared text field (a Y.Text in a Y.Map config) as its string', () => {
		const doc = new Y.Doc();
		const node = new Y.Map<unknown>();
		node.set('type', 'send_message');
		node.set('config', new Y.Map<unknown>([['body', new Y.Text('')]]));
		doc.getMap('nodes').set('send', node);
		const bodyIssues = () => graphIssues(readCampaignDocument(doc), { channel: 'sms' }).filter((i) => i.nodeId === 'send' && i.field === 'body');
		expect(bodyIssues().map((i) => i.message)).toEqual(['Write the message.']);
		((node.get('config') as Y.Map<unknown>).get('body') as Y.Text).insert(0, 'Hi there');
		expect(readCampaignDocument(doc).nodes).toEqual([{ id: 'send', type: 'send_message', config: { body: 'Hi there' } }]);
		expect(bodyIssues()).toEqual([]);
	});
});
