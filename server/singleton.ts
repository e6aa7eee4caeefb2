/**
 * Process-wide singletons.
 *
 * The SvelteKit build bundles its own copy of `server/` modules while `server/main.ts`
 * (and, in dev, the Vite plugin) load another. Anything that must exist once per process
 * (pools, metrics, queues) is kept on `globalThis` under a symbol so both copies share it.
 */
const store = ((globalThis as Record<symbol, unknown>)[Symbol.for('muster.singletons')] ??=
	new Map<string, unknown>()) as Map<string, unknown>;

export function singleton<T>(key: string, create: () => T): T {
	if (!store.has(key)) store.set(key, create());
	return store.get(key) as T;
}

export function dropSingleton(key: string): void {
	store.delete(key);
}
