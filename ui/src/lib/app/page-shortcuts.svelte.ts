//! The current page's own one-key shortcuts: a page registers them while it is mounted, the layout's
//! key handler runs them (see `ShortcutReader.next`) and its help dialog lists them.
import type { PageShortcut } from './shortcuts';

export type PageKeys = {
	/** The page's name, for the help ("On the Screening page"). */
	page: string;
	shortcuts: readonly PageShortcut[];
	/** Handles a key; returns whether it was one of the page's (the layout then prevents its default). */
	run(key: string): boolean;
};

export class PageShortcuts {
	current = $state.raw<PageKeys | null>(null);

	/** Registers a page's keys; returns what unregisters them (for onMount's cleanup). */
	register(keys: PageKeys): () => void {
		this.current = keys;
		return () => {
			if (this.current === keys) this.current = null;
		};
	}

	run(key: string): boolean {
		return this.current?.run(key) ?? false;
	}
}
