/** Words and looks for dry-runs, shared by the crusade list, the editor and the run page. */
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '$server/trpc/root';
import { DRY_RUN_REASONS, REASON_TEXT, type DryRunReason } from '$server/dryrun/input';

export type DryRunSummary = inferRouterOutputs<AppRouter>['dryrun']['get'];
export type DryRunRow = inferRouterOutputs<AppRouter>['dryrun']['results']['rows'][number];
export { DRY_RUN_REASONS, REASON_TEXT, type DryRunReason };

/** Short names for the reason chips; the full sentence is REASON_TEXT. */
export const REASON_LABEL: Record<DryRunReason, string> = {
	dnc: 'Do not contact',
	no_consent: 'No consent',
	no_phone: 'No phone',
	invalid_phone: 'Invalid phone',
	landline: 'Landline',
	no_sender: 'No sender',
	missing_merge_value: 'Missing merge value',
	too_many_segments: 'Too many segments',
	too_long: 'Too long',
	outside_window: 'Outside windows',
	cooldown: 'Cooldown',
	throttle: 'Throttle',
	sender_daily_cap: 'Sender daily cap',
	brand_daily_cap: 'Brand daily cap'
};

/** `crusade:<id>@v3` → "Version 3", `…@draft` → "Draft"; anything else as it is. */
export function sourceLabel(source: string | null): string {
	const m = /@(?:v(\d+)|(draft))$/.exec(source ?? '');
	if (!m) return source ?? 'Input';
	return m[2] ? 'Draft' : `Version ${m[1]}`;
}

/** The crusade a run came from, when it came from one. */
export function crusadeOf(source: string | null): string | null {
	return /^crusade:([0-9a-f-]{36})@/.exec(source ?? '')?.[1] ?? null;
}

const STATUS_TONE: Record<DryRunSummary['status'], string> = {
	queued: 'border-line bg-subtle text-muted',
	running: 'border-sky-200 bg-sky-50 text-sky-800 dark:border-sky-900 dark:bg-sky-950/40 dark:text-sky-200',
	completed: 'border-emerald-200 bg-emerald-50 text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-200',
	failed: 'border-red-200 bg-red-50 text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200',
	cancelled: 'border-line bg-subtle text-muted'
};

export const STATUS_LABEL: Record<DryRunSummary['status'], string> = {
	queued: 'Queued',
	running: 'Running',
	completed: 'Done',
	failed: 'Failed',
	cancelled: 'Cancelled'
};

export function statusClass(status: DryRunSummary['status']): string {
	return `inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium ${STATUS_TONE[status]}`;
}

/** "12 would send · 8 blocked", or where it stands when not done. */
export function runOutcome(run: Pick<DryRunSummary, 'status' | 'wouldSend' | 'blocked' | 'done' | 'total'>): string {
	if (run.status === 'completed') return `${run.wouldSend.toLocaleString()} would send · ${run.blocked.toLocaleString()} blocked`;
	if (run.status === 'running') return `${run.done.toLocaleString()} of ${run.total?.toLocaleString() ?? '…'} leads`;
	return STATUS_LABEL[run.status];
}

/** A time in the recipient's zone, with the zone's short name ("Tue 1 Dec, 09:00 EST"). */
export function formatInZone(at: Date | string | null, zone: string | null): string {
	if (!at) return '—';
	const date = typeof at === 'string' ? new Date(at) : at;
	try {
		return date.toLocaleString(undefined, { timeZone: zone ?? undefined, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
	} catch {
		return date.toISOString();
	}
}
