/**
 * The live grid in the browser: the snapshot the page loaded, then each stage refetched
 * (`overview.get`) when the server says it changed (`overview:changed`, SPEC O2–O4). Stages
 * asked for while a fetch runs are fetched right after it, together; a hidden tab waits
 * until it is shown again. Every (re)join of the workspace refetches everything, since
 * events sent while the socket was away are not replayed.
 */
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '$server/trpc/root';
import { OVERVIEW_STAGES, type OverviewStage } from '$server/overview/stages';
import { presence } from '$lib/realtime/presence.svelte';
import { trpc } from '$lib/trpc';

type Snapshot = inferRouterOutputs<AppRouter>['overview']['get'];
export type FilesStage = NonNullable<Snapshot['files']>;
export type CampaignsStage = NonNullable<Snapshot['campaigns']>;
export type NumbersStage = NonNullable<Snapshot['numbers']>;
export type CrusadesStage = NonNullable<Snapshot['crusades']>;
export type { OverviewStage };

export interface FullOverview {
	files: FilesStage;
	campaigns: CampaignsStage;
	numbers: NumbersStage;
	crusades: CrusadesStage;
}

/** A snapshot of every stage (what `overview.get` answers when no stages are named). */
export function fullOverview(snapshot: Snapshot): FullOverview {
	const { files, campaigns, numbers, crusades } = snapshot;
	if (!files || !campaigns || !numbers || !crusades) throw new Error('overview.get left a stage out');
	return { files, campaigns, numbers, crusades };
}

const LABEL: Record<OverviewStage, string> = { files: 'Files', campaigns: 'Campaigns', numbers: 'Numbers', crusades: 'Crusades' };

export class LiveOverview {
	files = $state.raw() as FilesStage;
	campaigns = $state.raw() as CampaignsStage;
	numbers = $state.raw() as NumbersStage;
	crusades = $state.raw() as CrusadesStage;
	/** When each stage last changed while the page was open (0: not since it loaded). */
	changedAt = $state<Record<OverviewStage, number>>({ files: 0, campaigns: 0, numbers: 0, crusades: 0 });
	/** For screen readers: which stages' figures just moved. */
	announcement = $state('');
	/** The last refetch failed; the next event, join or visit tries again. */
	stale = $state(false);

	readonly #workspaceId: string;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, never drawn
	readonly #dirty = new Set<OverviewStage>();
	#running = false;

	constructor(workspaceId: string, initial: FullOverview) {
		this.#workspaceId = workspaceId;
		this.files = initial.files;
		this.campaigns = initial.campaigns;
		this.numbers = initial.numbers;
		this.crusades = initial.crusades;
	}

	/** Follows changes until the returned function is called. */
	start(): () => void {
		const stop = presence.onOverviewChanged((stages) => this.request(stages));
		const onVisible = () => {
			if (document.visibilityState === 'visible') void this.#pump();
		};
		document.addEventListener('visibilitychange', onVisible);
		return () => {
			stop();
			document.removeEventListener('visibilitychange', onVisible);
		};
	}

	request(stages: readonly OverviewStage[] = OVERVIEW_STAGES): void {
		for (const stage of stages) this.#dirty.add(stage);
		void this.#pump();
	}

	async #pump(): Promise<void> {
		if (this.#running || document.visibilityState === 'hidden') return;
		this.#running = true;
		try {
			while (this.#dirty.size > 0) {
				const stages = OVERVIEW_STAGES.filter((s) => this.#dirty.has(s));
				this.#dirty.clear();
				try {
					this.#apply(await trpc.overview.get.query({ workspaceId: this.#workspaceId, stages }));
					this.stale = false;
				} catch {
					for (const s of stages) this.#dirty.add(s);
					this.stale = true;
					return;
				}
			}
		} finally {
			this.#running = false;
		}
	}

	#apply(snapshot: Snapshot): void {
		const moved: OverviewStage[] = [];
		const now = Date.now();
		const take = <S extends { totals: unknown }>(stage: OverviewStage, before: S, after: S | undefined): S => {
			if (!after) return before;
			if (JSON.stringify(before) !== JSON.stringify(after)) this.changedAt[stage] = now;
			if (JSON.stringify(before.totals) !== JSON.stringify(after.totals)) moved.push(stage);
			return after;
		};
		this.files = take('files', this.files, snapshot.files);
		this.campaigns = take('campaigns', this.campaigns, snapshot.campaigns);
		this.numbers = take('numbers', this.numbers, snapshot.numbers);
		this.crusades = take('crusades', this.crusades, snapshot.crusades);
		if (moved.length > 0) this.announcement = `Updated: ${moved.map((s) => LABEL[s]).join(', ')}.`;
	}
}
