//! App settings: theme (system / light / dark) and the countries of concern. Loaded once by the layout;
//! the theme is applied to <html data-theme> so every view and chart follows it.
import type { Settings } from '$lib/api/bindings/Settings';
import type { Theme } from '$lib/api/bindings/Theme';
import { isCountryCode } from '$lib/domain/factors';

export type SettingsApi = {
	settings(): Promise<Settings>;
	saveSettings(settings: Settings): Promise<void>;
};

export class SettingsState {
	settings = $state<Settings | null>(null);
	/** A `?theme=` override (for screenshots and demos) wins over the stored setting until changed. */
	override = $state<Theme | null>(null);
	systemDark = $state(false);
	countryDraft = $state('');
	saving = $state(false);

	theme = $derived<Theme>(this.override ?? this.settings?.theme ?? 'system');
	dark = $derived(this.theme === 'dark' || (this.theme === 'system' && this.systemDark));

	/** Why the draft country cannot be added, or null. */
	countryError = $derived.by(() => {
		const code = this.countryDraft.trim();
		if (code === '') return null;
		if (!isCountryCode(code)) return 'Use a two-letter upper-case ISO code, e.g. CN';
		if (this.settings?.concernCountries.includes(code)) return `${code} is already in the list`;
		return null;
	});

	constructor(private readonly api: SettingsApi) {}

	async load(): Promise<void> {
		this.settings = await this.api.settings();
	}

	async setTheme(theme: Theme): Promise<void> {
		this.override = null;
		await this.update({ theme });
	}

	/** Adds the draft code; returns false (and keeps the draft) when it is invalid. */
	async addCountry(): Promise<boolean> {
		const code = this.countryDraft.trim();
		if (code === '' || this.countryError || !this.settings) return false;
		await this.update({ concernCountries: [...this.settings.concernCountries, code] });
		this.countryDraft = '';
		return true;
	}

	async removeCountry(code: string): Promise<void> {
		if (!this.settings) return;
		await this.update({ concernCountries: this.settings.concernCountries.filter((c) => c !== code) });
	}

	private async update(change: Partial<Settings>): Promise<void> {
		if (!this.settings) return;
		const next = { ...this.settings, ...change };
		this.saving = true;
		try {
			await this.api.saveSettings(next);
			this.settings = next;
		} finally {
			this.saving = false;
		}
	}
}
