import { describe, expect, it } from 'vitest';
import { NAV_SHORTCUTS, ShortcutReader } from './shortcuts';

describe('keyboard shortcuts', () => {
	it('navigates on g followed by a page key', () => {
		const reader = new ShortcutReader();
		expect(reader.read('g', 0)).toBeNull();
		expect(reader.read('w', 100)).toEqual({ kind: 'navigate', href: '/what-if' });
		expect(reader.read('g', 200)).toBeNull();
		expect(reader.read('r', 300)).toEqual({ kind: 'navigate', href: '/' });
	});

	it('forgets a g after the timeout, and ignores unknown second keys', () => {
		const reader = new ShortcutReader(1000);
		reader.read('g', 0);
		expect(reader.read('w', 1500)).toBeNull();
		reader.read('g', 2000);
		expect(reader.read('x', 2100)).toBeNull();
		expect(reader.read('w', 2200)).toBeNull();
	});

	it('opens help on ? and focuses search on /', () => {
		const reader = new ShortcutReader();
		expect(reader.read('?', 0)).toEqual({ kind: 'help' });
		expect(reader.read('/', 0)).toEqual({ kind: 'search' });
	});

	it('hands the page the keys no app shortcut takes, but never the second key of a g sequence', () => {
		const reader = new ShortcutReader();
		expect(reader.next('s', 0)).toEqual({ kind: 'page', key: 's' });
		expect(reader.next('ArrowDown', 10)).toEqual({ kind: 'page', key: 'ArrowDown' });
		expect(reader.next('g', 20)).toBeNull();
		expect(reader.next('s', 30)).toEqual({ kind: 'navigate', href: '/settings' });
		expect(reader.next('g', 40)).toBeNull();
		expect(reader.next('j', 50)).toBeNull();
		expect(reader.next('?', 60)).toEqual({ kind: 'help' });
		// `read` keeps its answers: page keys are no app action.
		expect(reader.read('s', 70)).toBeNull();
		expect(reader.read('g', 80)).toBeNull();
		expect(reader.read('n', 90)).toEqual({ kind: 'navigate', href: '/screening' });
	});

	it('has one shortcut per page, each distinct', () => {
		expect(new Set(NAV_SHORTCUTS.map((s) => s.keys)).size).toBe(NAV_SHORTCUTS.length);
	});
});
