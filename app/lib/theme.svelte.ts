/**
 * The colour theme. The inline script in app.html applies the stored preference before
 * first paint; this store takes over once the app is hydrated and keeps <html> in sync.
 */

export type ThemePreference = 'system' | 'light' | 'dark';
export type ResolvedTheme = 'light' | 'dark';

export const THEME_STORAGE_KEY = 'muster-theme';

function isPreference(value: unknown): value is ThemePreference {
	return value === 'system' || value === 'light' || value === 'dark';
}

class ThemeStore {
	preference = $state<ThemePreference>('system');
	/** Whether the operating system currently prefers a dark scheme. */
	systemDark = $state(false);
	/** False until init() has read the stored preference in the browser. */
	ready = $state(false);

	resolved: ResolvedTheme = $derived(
		this.preference === 'system' ? (this.systemDark ? 'dark' : 'light') : this.preference
	);

	#media: MediaQueryList | undefined;

	/** Reads the stored preference and starts following the OS scheme. Returns a cleanup. */
	init(): () => void {
		this.#media = window.matchMedia('(prefers-color-scheme: dark)');
		this.systemDark = this.#media.matches;
		this.preference = this.#read();
		this.#apply();
		this.ready = true;

		const onSchemeChange = (event: MediaQueryListEvent) => {
			this.systemDark = event.matches;
			if (this.preference === 'system') this.#apply();
		};
		// Another tab changed the theme: follow it, so all open tabs agree.
		const onStorage = (event: StorageEvent) => {
			if (event.key !== THEME_STORAGE_KEY) return;
			this.preference = isPreference(event.newValue) ? event.newValue : 'system';
			this.#apply();
		};
		this.#media.addEventListener('change', onSchemeChange);
		window.addEventListener('storage', onStorage);
		return () => {
			this.#media?.removeEventListener('change', onSchemeChange);
			window.removeEventListener('storage', onStorage);
		};
	}

	set(preference: ThemePreference): void {
		this.preference = preference;
		try {
			localStorage.setItem(THEME_STORAGE_KEY, preference);
		} catch {
			// Storage can be unavailable (private mode, disabled); the choice still applies now.
		}
		this.#apply();
	}

	#read(): ThemePreference {
		try {
			const stored = localStorage.getItem(THEME_STORAGE_KEY);
			return isPreference(stored) ? stored : 'system';
		} catch {
			return 'system';
		}
	}

	#apply(): void {
		const root = document.documentElement;
		root.classList.toggle('dark', this.resolved === 'dark');
		root.dataset.themePreference = this.preference;
	}
}

export const theme = new ThemeStore();
