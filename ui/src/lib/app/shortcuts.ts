//! Two-key navigation shortcuts ("g r" → Ranking, …), as in many desktop and web tools. The handler is
//! pure (keys in, action out) so it is testable without a DOM. A page may have one-key shortcuts of
//! its own (Screening's j/k/s/d/b): the layout hands it the keys that are neither an app shortcut nor
//! part of a `g` sequence, so "g s" on that page still goes to Settings.

export type Shortcut = { keys: string; label: string; href: string };

export const NAV_SHORTCUTS: readonly Shortcut[] = [
	{ keys: 'g r', label: 'Ranking', href: '/' },
	{ keys: 'g c', label: 'Compare', href: '/compare' },
	{ keys: 'g w', label: 'What-if', href: '/what-if' },
	{ keys: 'g d', label: 'Data', href: '/data' },
	{ keys: 'g n', label: 'Screening', href: '/screening' },
	{ keys: 'g b', label: 'Briefs & exports', href: '/briefs' },
	{ keys: 'g s', label: 'Settings', href: '/settings' }
];

export const OTHER_SHORTCUTS: readonly { keys: string; label: string }[] = [
	{ keys: '?', label: 'Show this help' },
	{ keys: '/', label: 'Focus the page’s search or first filter' },
	{ keys: 'Esc', label: 'Close a dialog' },
	{ keys: 'Enter / Space', label: 'Open the focused table row' },
	{ keys: '↑ / ↓', label: 'Move between table rows' },
	{ keys: 'Tab', label: 'Next control (Shift+Tab: previous)' }
];

export type ShortcutAction = { kind: 'navigate'; href: string } | { kind: 'help' } | { kind: 'search' } | null;

/** A key no app shortcut takes, for the page's own shortcuts. */
export type PageKey = { kind: 'page'; key: string };

/** A page's own one-key shortcuts, as the help lists them. */
export type PageShortcut = { keys: string; label: string };

/** Feeds keys one at a time; a `g` waits up to `timeoutMs` for its second key. */
export class ShortcutReader {
	/** When a `g` was pressed, or null. */
	private pendingG: number | null = null;

	constructor(private readonly timeoutMs = 1200) {}

	read(key: string, now: number): ShortcutAction {
		const action = this.next(key, now);
		return action?.kind === 'page' ? null : action;
	}

	/** As `read`, but a key that is neither an app shortcut nor part of a `g` sequence comes back for the page. */
	next(key: string, now: number): ShortcutAction | PageKey {
		if (this.pendingG !== null && now - this.pendingG <= this.timeoutMs) {
			this.pendingG = null;
			const match = NAV_SHORTCUTS.find((s) => s.keys === `g ${key.toLowerCase()}`);
			return match ? { kind: 'navigate', href: match.href } : null;
		}
		this.pendingG = null;
		if (key === 'g') {
			this.pendingG = now;
			return null;
		}
		if (key === '?') return { kind: 'help' };
		if (key === '/') return { kind: 'search' };
		return { kind: 'page', key };
	}
}

/** Shortcuts never fire while the user types into a field. */
export function isTypingTarget(target: EventTarget | null): boolean {
	if (!(target instanceof HTMLElement)) return false;
	if (target.isContentEditable) return true;
	if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
	if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'range', 'submit'].includes(target.type);
	return false;
}
