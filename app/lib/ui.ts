/** Class lists shared by forms and buttons, so every page looks and behaves alike. */

const button =
	'focus-ring inline-flex h-10 items-center justify-center gap-2 rounded-lg px-3.5 text-sm font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-60 sm:h-9';

export const ui = {
	primary: `${button} bg-accent text-on-accent shadow-[0_1px_2px_rgb(0_0_0/0.1),inset_0_1px_0_rgb(255_255_255/0.12)] hover:bg-accent-hover`,
	secondary: `${button} border border-line bg-surface text-ink shadow-[0_1px_2px_rgb(0_0_0/0.04)] hover:bg-subtle`,
	danger: `${button} border border-red-300 bg-surface text-red-700 hover:bg-red-50 dark:border-red-900 dark:text-red-300 dark:hover:bg-red-950/40`,
	ghost: `${button} text-muted hover:bg-subtle hover:text-ink`,
	big: 'focus-ring inline-flex h-12 w-full items-center justify-center gap-2.5 rounded-xl bg-accent px-4 text-[15px] font-semibold text-on-accent shadow-[0_1px_2px_rgb(0_0_0/0.1),inset_0_1px_0_rgb(255_255_255/0.12)] transition-colors hover:bg-accent-hover disabled:cursor-not-allowed disabled:opacity-60',
	label: 'block text-sm font-medium text-ink',
	hint: 'mt-1 text-xs/5 text-muted',
	input:
		'focus-ring mt-1.5 block h-10 w-full rounded-lg border border-line-strong bg-surface px-3 text-[15px] text-ink placeholder:text-faint sm:text-sm',
	select:
		'focus-ring mt-1.5 block h-10 w-full rounded-lg border border-line-strong bg-surface px-2.5 text-[15px] text-ink sm:h-9 sm:text-sm',
	card: 'rounded-xl border border-line bg-surface shadow-[0_1px_2px_rgb(0_0_0/0.04)]',
	alert:
		'flex gap-2 rounded-lg border border-red-200 bg-red-50 px-3 py-2.5 text-sm/6 text-red-800 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200',
	notice:
		'flex gap-2 rounded-lg border border-line bg-accent-soft px-3 py-2.5 text-sm/6 text-ink'
} as const;

/** A local date and time, short. */
export function formatWhen(value: Date | string | null | undefined): string {
	if (!value) return 'Never';
	const date = typeof value === 'string' ? new Date(value) : value;
	return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDate(value: Date | string): string {
	const date = typeof value === 'string' ? new Date(value) : value;
	return date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** Saves text as a file through a temporary link. */
export function downloadText(filename: string, text: string): void {
	const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
	const link = document.createElement('a');
	link.href = url;
	link.download = filename;
	document.body.append(link);
	link.click();
	link.remove();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Copies text; false when the clipboard is unavailable (the caller then says so). */
export async function copyText(text: string): Promise<boolean> {
	try {
		await navigator.clipboard.writeText(text);
		return true;
	} catch {
		return false;
	}
}
