import { describe, expect, it } from 'vitest';
import type { Identity } from '$lib/api/bindings/Identity';
import { aliasKindLabel, decisionLabel, identityView } from './identity';

const nothing: Identity = { group: ['kaspersky'], links: [], aliases: [], identifiers: [] };

describe('identity across sources', () => {
	it('records nothing beyond the vendor’s own id', () => {
		const view = identityView(nothing, 'kaspersky');
		expect(view).toMatchObject({ own: 'kaspersky', others: [], links: [], empty: true, showsIds: false });
		expect(identityView({ ...nothing, group: [] }, 'kaspersky')).toMatchObject({ own: 'kaspersky', empty: true });
	});

	it('any other id, link, alias or identifier is something', () => {
		const link = { entity_id: 'acme', other_id: 'kaspersky', decision: 'different', decided_by: 'J. Doe', decided_on: '2026-12-01', basis: null, source: null };
		expect(identityView({ ...nothing, links: [link] }, 'kaspersky').empty).toBe(false);
		expect(identityView({ ...nothing, aliases: [{ entity_id: 'kaspersky', name: 'Лаборатория Касперского', kind: 'translit', source: 's' }] }, 'kaspersky').empty).toBe(false);
		expect(identityView({ ...nothing, identifiers: [{ entity_id: 'kaspersky', scheme: 'RU-INN', value: '7713140469', source: 's' }] }, 'kaspersky').empty).toBe(false);
	});

	it('lists a link from the vendor’s side: its own id first, whichever end the store keeps it at', () => {
		const identity: Identity = {
			group: ['kaspersky', 'kl-uk'],
			links: [
				{ entity_id: 'acme', other_id: 'kaspersky', decision: 'different', decided_by: 'J. Doe', decided_on: '2026-12-01', basis: 'Other LEI', source: null },
				{ entity_id: 'kaspersky', other_id: 'kl-uk', decision: 'same', decided_by: 'analyst', decided_on: '2026-12-02', basis: null, source: 'GLEIF' }
			],
			aliases: [],
			identifiers: []
		};
		const view = identityView(identity, 'kaspersky');
		expect(view.others).toEqual(['kl-uk']);
		expect(view.showsIds).toBe(true);
		expect(view.links.map((l) => [l.near, l.far, l.farInGroup])).toEqual([
			['kaspersky', 'acme', false],
			['kaspersky', 'kl-uk', true]
		]);
		expect(new Set(view.links.map((l) => l.key)).size).toBe(2);
		expect(view.links[0]).toMatchObject({ decided_by: 'J. Doe', decided_on: '2026-12-01', basis: 'Other LEI' });
	});

	it('words decisions and alias kinds, and shows an unknown word as it is', () => {
		expect(decisionLabel('same')).toBe('Same legal person');
		expect(decisionLabel('different')).toBe('Different legal persons');
		expect(decisionLabel('maybe')).toBe('maybe');
		expect(['aka', 'fka', 'nka', 'translit', 'other'].map(aliasKindLabel)).toEqual([
			'also known as',
			'formerly known as',
			'now known as',
			'transliteration',
			'other'
		]);
	});
});
