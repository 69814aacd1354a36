//! App-wide singletons: settings (theme, countries of concern) and the toasts. Views import these;
//! feature state lives in each feature's own classes.
import * as api from '$lib/api/commands';
import { SettingsState } from '$lib/settings/settings.svelte';

export const appSettings = new SettingsState(api);
export { toasts } from '$lib/shared/toasts.svelte';
