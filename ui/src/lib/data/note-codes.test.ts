import { describe, expect, it } from 'vitest';
import { NOTE_CODES } from './import.svelte';

/** The codes the importers emit, read from the Rust sources: the code argument of each
 * `….note(location, "code", …)` or `note_at` call, the `Some(("code", …))` notes the text helpers
 * return, the `code: "…"` of notes built directly, and codes chosen by a condition before the call
 * (`"vessel-skipped"` / `"aircraft-skipped"`). Every code has a hyphen. Test modules are
 * left out (they name codes to look for, not codes to emit). */
function emittedCodes(): Set<string> {
	const sources = import.meta.glob(['../../../../src/published/*.rs', '../../../../src/ingest/*.rs', '!**/tests.rs', '!**/testkit.rs'], {
		query: '?raw',
		import: 'default',
		eager: true
	}) as Record<string, string>;
	const patterns = [
		// The first argument may hold string literals of its own (`&format!("/…")`).
		/\.note(?:_at)?\((?:[^;"]|"[^"]*")*?,\s*"([a-z0-9]+(?:-[a-z0-9]+)+)"/g,
		/Some\(\("([a-z0-9]+(?:-[a-z0-9]+)+)",/g,
		/code: "([a-z0-9]+(?:-[a-z0-9]+)+)"/g,
		/"([a-z]+-skipped)"/g
	];
	const codes = new Set<string>();
	for (const source of Object.values(sources)) {
		const text = source.split('#[cfg(test)]')[0] ?? '';
		for (const pattern of patterns) for (const [, code] of text.matchAll(pattern)) if (code) codes.add(code);
	}
	return codes;
}

describe('note codes', () => {
	const emitted = emittedCodes();

	it('finds the codes in the sources', () => {
		expect(emitted.size).toBeGreaterThan(50);
		for (const code of ['duplicate-key', 'vessel-skipped', 'outside-selection', 'range-from-oversum']) expect(emitted).toContain(code);
	});

	it('has a phrase for every code the importers emit', () => {
		expect([...emitted].filter((code) => !(code in NOTE_CODES)).sort()).toEqual([]);
	});

	it('has no phrase for a code no importer emits', () => {
		expect(Object.keys(NOTE_CODES).filter((code) => !emitted.has(code)).sort()).toEqual([]);
	});
});
