import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '$server/trpc/root';

/** Client-side names for what the numbers API returns (types only come from the server). */
type Outputs = inferRouterOutputs<AppRouter>['numbers'];
export type Inventory = Outputs['list'];
export type SenderRow = Inventory['numbers'][number];
export type CsvPreview = Outputs['previewCsv'];
export type ImportSummary = Outputs['importCsv'];
export type SenderStatus = SenderRow['status'];
export type SenderField = NonNullable<CsvPreview['columns'][number]['field']>;

export const STATUSES: readonly SenderStatus[] = ['active', 'paused', 'blocked'];

export const STATUS_LABEL: Record<SenderStatus, string> = { active: 'Active', paused: 'Paused', blocked: 'Blocked' };

/** What each status means for sending, for the page's legend and titles. */
export const STATUS_HELP: Record<SenderStatus, string> = {
	active: 'sends',
	paused: 'kept, sends nothing until reactivated',
	blocked: 'a carrier or the provider stopped it; sends nothing'
};

export const STATUS_TONE: Record<SenderStatus, string> = {
	active: 'bg-emerald-50 text-emerald-800 ring-emerald-200 dark:bg-emerald-950/40 dark:text-emerald-200 dark:ring-emerald-900',
	paused: 'bg-amber-50 text-amber-800 ring-amber-200 dark:bg-amber-950/40 dark:text-amber-200 dark:ring-amber-900',
	blocked: 'bg-red-50 text-red-800 ring-red-200 dark:bg-red-950/40 dark:text-red-200 dark:ring-red-900'
};

export const FIELD_LABEL: Record<SenderField, string> = {
	e164: 'Phone number',
	providerAccount: 'Provider account',
	brandId: '10DLC brand',
	campaignId: '10DLC campaign',
	areaCode: 'Area code',
	state: 'State',
	status: 'Status',
	dailyCap: 'Daily cap'
};

/** "1,000" or "No cap". */
export const capLabel = (cap: number | null) => (cap === null ? 'No cap' : cap.toLocaleString());
