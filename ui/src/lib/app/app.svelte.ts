//! App-wide singletons: settings (theme, countries of concern), the open workspace, the toasts and the page's own shortcuts. Views import these;
//! feature state lives in each feature's own classes.
import * as api from '$lib/api/commands';
import { SettingsState } from '$lib/settings/settings.svelte';
import { PageShortcuts } from './page-shortcuts.svelte';
import { WorkspaceState } from './workspace.svelte';

export const appSettings = new SettingsState(api);

/** The open workspace; its counter is read again after each of this app's own writes. */
export const workspace = new WorkspaceState(api);
api.onWrite(() => void workspace.ownWrite());
export { toasts } from '$lib/shared/toasts.svelte';

/** The current page's own keyboard shortcuts (Screening's), run and listed by the layout. */
export const pageShortcuts = new PageShortcuts();
