import client from 'prom-client';
import { allQueues } from '../jobs/connection';
import { singleton } from './singleton';

const JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'paused', 'prioritized', 'waiting-children'] as const;

const metrics = singleton('metrics', () => {
	const registry = new client.Registry();
	// Includes nodejs_eventloop_lag_seconds and its percentiles.
	client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
	const wsConnections = new client.Gauge({
		name: 'muster_websocket_connections',
		help: 'Open WebSocket connections by door',
		labelNames: ['door'] as const,
		registers: [registry]
	});
	for (const door of ['socket.io', 'yjs']) wsConnections.set({ door }, 0);
	return {
		registry,
		wsConnections,
		httpDuration: new client.Histogram({
			name: 'muster_http_request_duration_seconds',
			help: 'HTTP request duration by route template',
			labelNames: ['method', 'route', 'status'] as const,
			buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
			registers: [registry]
		}),
		socketEventsDropped: new client.Counter({
			name: 'muster_socket_events_dropped_total',
			help: 'Socket.IO events dropped unanswered: malformed, unknown (event="unknown") or over a throttle',
			labelNames: ['event', 'reason'] as const,
			registers: [registry]
		}),
		jobsProcessed: new client.Counter({
			name: 'muster_jobs_processed_total',
			help: 'Jobs processed by this process, by queue and outcome',
			labelNames: ['queue', 'outcome'] as const,
			registers: [registry]
		}),
		jobCounts: new client.Gauge({
			name: 'muster_jobs',
			help: 'Jobs by queue and state (read from Redis at scrape time)',
			labelNames: ['queue', 'state'] as const,
			registers: [registry],
			async collect() {
				const counts = await Promise.all(allQueues().map(async (q) => [q.name, await q.getJobCounts(...JOB_STATES)] as const));
				for (const [queue, byState] of counts) {
					for (const state of JOB_STATES) this.set({ queue, state }, byState[state] ?? 0);
				}
			}
		})
	};
});

export const { registry, httpDuration, wsConnections, jobsProcessed, socketEventsDropped } = metrics;
