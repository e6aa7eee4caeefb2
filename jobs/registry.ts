import { queues, type QueueName } from './definitions';
import type { HandlerMap } from './handler';
import { dryrunHandlers } from './handlers/dryrun';
import { ingestHandlers } from './handlers/ingest';
import { maintenanceHandlers } from './handlers/maintenance';

/** One handler per job name; the type makes a missing one a compile error, `assertHandlers` a startup error. */
export const handlers: { [Q in QueueName]: HandlerMap<Q> } = {
	maintenance: maintenanceHandlers,
	ingest: ingestHandlers,
	dryrun: dryrunHandlers
};

export class HandlerRegistryError extends Error {
	override name = 'HandlerRegistryError';
}

export function assertHandlers(
	definitions: Record<string, Record<string, unknown>> = queues,
	table: Record<string, Record<string, unknown>> = handlers
): void {
	const problems: string[] = [];
	for (const [queueName, jobs] of Object.entries(definitions)) {
		const own = table[queueName] ?? {};
		for (const name of Object.keys(jobs)) {
			if (typeof own[name] !== 'function') problems.push(`${queueName}/${name} has no handler`);
		}
		for (const name of Object.keys(own)) {
			if (!(name in jobs)) problems.push(`${queueName}/${name} has a handler but no definition`);
		}
	}
	for (const queueName of Object.keys(table)) {
		if (!(queueName in definitions)) problems.push(`queue ${queueName} has handlers but no definition`);
	}
	if (problems.length > 0) throw new HandlerRegistryError(`Job handlers do not match definitions: ${problems.join('; ')}`);
}
