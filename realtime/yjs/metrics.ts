import client from 'prom-client';
import { registry } from '../../server/metrics';
import { singleton } from '../../server/singleton';

/** Yjs engine metrics, on the process's one registry (scraped at /metrics). */
export const yjsMetrics = singleton('metrics:yjs', () => ({
	documents: new client.Gauge({ name: 'muster_yjs_documents_loaded', help: 'Co-edited documents held in memory', registers: [registry] }),
	persisted: new client.Counter({ name: 'muster_yjs_updates_persisted_total', help: 'Document updates appended to Postgres', registers: [registry] }),
	dropped: new client.Counter({
		name: 'muster_yjs_updates_dropped_total',
		help: 'Updates refused, by reason (read-only connections, malformed messages)',
		labelNames: ['reason'] as const,
		registers: [registry]
	}),
	flushSeconds: new client.Histogram({
		name: 'muster_yjs_flush_seconds',
		help: 'Time to append one batch of document updates',
		buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
		registers: [registry]
	}),
	failures: new client.Counter({
		name: 'muster_yjs_failures_total',
		help: 'Document loads, flushes and compactions that failed (and were refused or retried)',
		labelNames: ['operation'] as const,
		registers: [registry]
	})
}));
