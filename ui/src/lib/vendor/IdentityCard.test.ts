import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import type { Identity } from '$lib/api/bindings/Identity';
import IdentityCard from './IdentityCard.svelte';
import { identityView } from './identity';

const html = (identity: Identity) => render(IdentityCard, { props: { view: identityView(identity, 'kaspersky'), onadd: () => {} } }).body;

describe('the identity card', () => {
	it('says plainly when the store records nothing beyond the vendor’s own id', () => {
		const body = html({ group: ['kaspersky'], links: [], aliases: [], identifiers: [] });
		expect(body).toContain('Known only as');
		expect(body).not.toContain('<table');
	});

	it('shows links, aliases and identifiers in captioned tables, data as text', () => {
		const hostile = '<img src=x onerror=alert(1)>';
		const body = html({
			group: ['kaspersky', 'kl-uk'],
			links: [{ entity_id: 'kaspersky', other_id: 'kl-uk', decision: 'same', decided_by: hostile, decided_on: '2026-12-06', basis: 'Same LEI', source: 'GLEIF' }],
			aliases: [{ entity_id: 'kl-uk', name: 'Лаборатория Касперского', kind: 'translit', source: 'EGRUL' }],
			identifiers: [{ entity_id: 'kaspersky', scheme: 'RU-INN', value: '7713140469', source: 'EGRUL' }]
		});
		expect(body).not.toContain(hostile);
		expect(body).toContain('&lt;img src=x onerror=alert(1)>');
		for (const text of ['Same legal person', 'transliteration', 'Лаборатория Касперского', 'RU-INN', 'Source: GLEIF', 'Of id'])
			expect(body).toContain(text);
		expect(body.match(/<caption/g)).toHaveLength(3);
		const text = body.replace(/<!--.*?-->/g, '');
		expect(text).toMatch(/<ul class="ids[^"]*" aria-labelledby="identity-ids-title"><li class="mono[^"]*">kl-uk<\/li><\/ul>/);
		expect(text).toContain('<span class="mono">kaspersky</span><span aria-hidden="true"> ↔ </span><span class="sr-only"> and </span><span class="mono">kl-uk</span>');
	});
});
