import type WebSocket from 'ws';
import { eachLimited, idleDocument, musterSocket, rawSocket, type MusterSocket } from './clients';
import { checkpoint, type IdleJob, type IdleMember, type IdleResult } from './ipc';

/**
 * Scenario 3: idle people on one instance, each with a document connection (the brief of
 * their team's workspace) and a Socket.IO connection that has joined presence there. The
 * baseline gets the same two sockets per person: a y-websocket handshake and a raw relay
 * socket that announces itself once. A warm-up share connects first, so the orchestrator's
 * "before" reading already includes whatever the first connections cost once.
 */
const CONCURRENCY = 100;

export async function runIdle(job: IdleJob): Promise<IdleResult> {
	const documents: WebSocket[] = [];
	const presence: (MusterSocket | WebSocket)[] = [];
	const connect = async (member: IdleMember) => {
		documents.push(await idleDocument(job.url, member.docName, member.cookie));
		if (job.target === 'muster') {
			const socket = await musterSocket(job.url, member.cookie);
			presence.push(socket);
			const where = { page: `/w/${member.workspaceId}`, record: null };
			const reply = await socket.timeout(60_000).emitWithAck('presence:join', { workspaceId: member.workspaceId, where });
			if (!reply.ok) throw new Error(`presence:join refused: ${reply.error.code}`);
		} else {
			const ws = await rawSocket(job.url, member.workspaceId);
			presence.push(ws);
			ws.send(JSON.stringify({ t: 'join', page: `/w/${member.workspaceId}` }));
		}
	};
	const warm = job.clients.slice(0, job.warmup);
	const rest = job.clients.slice(job.warmup);
	const errors = await eachLimited(warm, CONCURRENCY, connect);
	await checkpoint('warm');
	const started = performance.now();
	errors.push(...(await eachLimited(rest, CONCURRENCY, connect)));
	const connectMs = performance.now() - started;
	const connected = Math.min(documents.length, presence.length);
	await checkpoint('connected');
	for (const socket of presence) {
		if ('terminate' in socket) socket.terminate();
		else socket.disconnect();
	}
	documents.forEach((ws) => ws.terminate());
	return { connected, failed: job.clients.length - connected, connectMs, firstError: errors[0] ?? null };
}
