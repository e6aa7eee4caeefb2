import { createHash } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { peer, type TestPeer } from '../../tests/support/yjs-client';
import { until } from './clients';
import { checkpoint, type EditorsJob, type EditorsResult } from './ipc';
import { cpuMark, cpuPercentSince, Histogram } from './stats';

/**
 * Scenarios 1 and 2: editors on one document, spread over the instances, each typing
 * `charsPerSecond` characters a second with the stock WebsocketProvider (plus `acks=1` on
 * Muster, as the app does). Every client lives in this process, so one clock serves them
 * all: a keystroke's send time is kept under its Yjs id (clientID, clock), and each peer's
 * receive time is taken when the update is applied to its document.
 */

interface Editor {
	peer: TestPeer;
	/** Where this editor's cursor is: right after the last character it typed. */
	anchor: Y.RelativePosition | null;
	typed: number;
}

/** Width of the latency timeline's slices, in seconds. */
export const TIMELINE_S = 10;

/** Send times by Yjs id. clientIDs are 32-bit and clocks stay far below 2^21, so the key is exact. */
const key = (client: number, clock: number) => client * 2_097_152 + clock;

/** The clients whose structs an update (V1) carries: the header alone for the usual single-client update. */
function clientsOf(update: Uint8Array): number[] {
	const decoder = decoding.createDecoder(update);
	const count = decoding.readVarUint(decoder);
	if (count === 1) {
		decoding.readVarUint(decoder); // number of structs
		return [decoding.readVarUint(decoder)];
	}
	return [...new Set(Y.decodeUpdate(update).structs.map((s) => s.id.client))];
}

export async function runEditors(job: EditorsJob): Promise<EditorsResult> {
	const sentAt = new Map<number, number>();
	const latency = new Histogram();
	const slices: Histogram[] = [];
	let delivered = 0;
	let firstSend = 0;
	let lastDelivery = 0;

	const editors: Editor[] = job.cookies.map((cookie, i) => {
		const url = job.urls[i % job.urls.length] ?? '';
		const p = peer(url, job.docName, cookie, { acks: job.target === 'muster' });
		p.provider.on('connection-close', (event) => {
			if (event && event.code !== 1000) process.stderr.write(`editor ${i}: connection closed ${event.code} ${event.reason}\n`);
		});
		p.doc.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
			if (origin !== p.provider) return;
			const now = performance.now();
			// The update holds exactly the structs this transaction integrated: the clocks
			// between the before and after state of each client it names.
			for (const client of clientsOf(update)) {
				const to = tr.afterState.get(client) ?? 0;
				for (let clock = tr.beforeState.get(client) ?? 0; clock < to; clock++) {
					const sent = sentAt.get(key(client, clock));
					if (sent === undefined) continue;
					latency.record(now - sent);
					const slice = Math.floor((now - firstSend) / 1_000 / TIMELINE_S);
					(slices[slice] ??= new Histogram()).record(now - sent);
					delivered += 1;
					lastDelivery = now;
				}
			}
		});
		return { peer: p, anchor: null, typed: 0 };
	});
	const synced = await until(() => editors.every((e) => e.peer.provider.synced), 60_000);
	if (!synced) throw new Error(`only ${editors.filter((e) => e.peer.provider.synced).length} of ${editors.length} editors synced`);

	const type = (editor: Editor) => {
		const { doc, text } = editor.peer;
		const index = editor.anchor ? (Y.createAbsolutePositionFromRelativePosition(editor.anchor, doc)?.index ?? text.length) : Math.floor(Math.random() * (text.length + 1));
		const clock = Y.getState(doc.store, doc.clientID);
		const now = performance.now();
		if (firstSend === 0) firstSend = now;
		sentAt.set(key(doc.clientID, clock), now);
		text.insert(index, String.fromCharCode(97 + (editor.typed % 26)));
		editor.typed += 1;
		editor.anchor = Y.createRelativePositionFromJSON({ item: { client: doc.clientID, clock }, assoc: -1 });
	};

	await checkpoint('typing');
	const cpu = cpuMark();
	const interval = 1_000 / job.charsPerSecond;
	const started = performance.now();
	const endAt = started + job.seconds * 1_000;
	// Each editor keeps its own rhythm from a random phase; a late timer catches up at once
	// rather than skipping, so the offered load stays what the issue asks for.
	await Promise.all(
		editors.map(
			(editor) =>
				new Promise<void>((resolve) => {
					let due = started + Math.random() * interval;
					const tick = () => {
						while (due <= performance.now() && due < endAt) {
							type(editor);
							due += interval;
						}
						if (due >= endAt) return resolve();
						setTimeout(tick, Math.max(0, due - performance.now()));
					};
					setTimeout(tick, due - performance.now());
				})
		)
	);
	const typingMs = performance.now() - started;
	const sent = editors.reduce((n, e) => n + e.typed, 0);
	const expectedDeliveries = sent * (editors.length - 1);
	const converged = await until(() => delivered >= expectedDeliveries, job.drainMs, 50);
	await checkpoint('drained');
	const cpuPercent = cpuPercentSince(cpu);

	let allSaved: boolean | null = null;
	if (job.target === 'muster') {
		const saved = await Promise.allSettled(editors.map((e) => e.peer.allSaved()));
		allSaved = saved.every((s) => s.status === 'fulfilled');
	}
	const texts = editors.map((e) => e.peer.text.toString());
	const final = texts[0] ?? '';
	const first = editors[0]?.peer.doc;
	const everyCharacter = final.length === sent && editors.every((e) => first !== undefined && Y.getState(first.store, e.peer.doc.clientID) === e.typed);
	editors.forEach((e) => e.peer.destroy());
	return {
		editors: editors.length,
		sent,
		typingMs,
		expectedDeliveries,
		delivered,
		deliveriesPerSecond: lastDelivery > firstSend ? delivered / ((lastDelivery - firstSend) / 1_000) : 0,
		latency: latency.summary(),
		timeline: [...slices].map((h, i) => ({ fromS: i * TIMELINE_S, ...(h ?? new Histogram()).summary() })),
		converged,
		identical: texts.every((t) => t === final),
		everyCharacter,
		finalLength: final.length,
		finalSha256: createHash('sha256').update(final).digest('hex'),
		allSaved,
		cpuPercent
	};
}
