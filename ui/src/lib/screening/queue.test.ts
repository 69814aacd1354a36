import { describe, expect, it } from 'vitest';
import type { Candidate } from '$lib/api/bindings/Candidate';
import type { PartyCard } from '$lib/api/bindings/PartyCard';
import {
	bulkBasis,
	candidateKey,
	countsLine,
	decisionsFor,
	fmtCountry,
	fmtEffective,
	fmtPeriod,
	fmtShare,
	identifierMatches,
	identifierReason,
	isIdentifierMatch,
	listsOf,
	MIN_SCORES,
	moveIndex,
	ownerName,
	partyName,
	relationLabel,
	screeningKey,
	SCREENING_SHORTCUTS,
	sharedIdentifiers
} from './queue';

const candidate = (other: string, score: number, reasons: string[], entity = 'acme'): Candidate => ({ entity_id: entity, other_id: other, vendor_id: entity, score, reasons });

const card = (id: string, identifiers: [string, string][], extra: Partial<PartyCard> = {}): PartyCard => ({
	id,
	vendor_id: null,
	kind: 'company',
	country: 'GB',
	names: [`${id} Ltd`],
	identifiers: identifiers.map(([scheme, value]) => ({ scheme, value })),
	linked: [],
	listings: [],
	owners: [],
	...extra
});

/** A queue as the engine orders it: best first, identifier matches (score 1, reason first) among them. */
const QUEUE: Candidate[] = [
	candidate('gleif:1', 1, ['same identifier LEI 5493001KJTIIGC8Y1R12', 'names "Acme" and "ACME Ltd" agree at 1.00 (legal form set aside: ltd)']),
	candidate('oc:gb-1', 1, ['names "Acme" and "Acme" agree at 1.00', 'both in GB']),
	candidate('csl:9', 1, ['same identifier US-CSL 9', 'names "Acme" and "Acme Group" agree at 0.80'], 'owner-x'),
	candidate('ofac:3', 0.82, ['names "Acme" and "Akme" agree at 0.82', 'same identifier is mentioned later, which does not count']),
	candidate('sdn:1', 0.74, ['names "Acme" and "Acme Holding" agree at 0.94', 'countries differ: GB and RU (−0.20)'])
];

describe('identifier matches (what the bulk confirmation takes)', () => {
	it('are the candidates scored 1 whose reasons say they share an identifier, in queue order', () => {
		expect(identifierMatches(QUEUE).map((c) => c.other_id)).toEqual(['gleif:1', 'csl:9']);
	});

	it('need both the decisive score and the reason', () => {
		// Score 1 from names alone is not an identifier match…
		expect(isIdentifierMatch(QUEUE[1]!)).toBe(false);
		// …nor is a reason that only mentions the words, at a lower score.
		expect(isIdentifierMatch(QUEUE[3]!)).toBe(false);
		expect(isIdentifierMatch({ ...QUEUE[0]!, score: 0.99 })).toBe(false);
		expect(identifierReason(QUEUE[2]!)).toBe('same identifier US-CSL 9');
		expect(identifierReason(QUEUE[4]!)).toBeNull();
	});

	it('record as one batch of `same` decisions, basis the typed text or else the identifier shared', () => {
		const matches = identifierMatches(QUEUE);
		expect(decisionsFor(matches, 'same', '  Ana ', bulkBasis(''))).toEqual([
			{ entity_id: 'acme', other_id: 'gleif:1', decision: 'same', decided_by: 'Ana', basis: 'same identifier LEI 5493001KJTIIGC8Y1R12' },
			{ entity_id: 'owner-x', other_id: 'csl:9', decision: 'same', decided_by: 'Ana', basis: 'same identifier US-CSL 9' }
		]);
		expect(decisionsFor(matches, 'same', 'Ana', bulkBasis(' GLEIF record checked ')).map((d) => d.basis)).toEqual(['GLEIF record checked', 'GLEIF record checked']);
	});
});

describe('a decision', () => {
	it('sends a blank basis as null and trims the rest', () => {
		const [c] = QUEUE;
		expect(decisionsFor([c!], 'different', 'analyst', '   ')[0]!.basis).toBeNull();
		expect(decisionsFor([c!], 'different', 'analyst', ' Different registered office ')[0]).toEqual({
			entity_id: 'acme',
			other_id: 'gleif:1',
			decision: 'different',
			decided_by: 'analyst',
			basis: 'Different registered office'
		});
	});
});

describe('shared identifiers', () => {
	it('are the scheme–value pairs both cards hold, values compared trimmed and schemes as written', () => {
		const a = card('a', [
			['LEI', '5493001KJTIIGC8Y1R12'],
			['GB-COH', ' 01234567 '],
			['DUNS', '111']
		]);
		const b = card('b', [
			['LEI', '5493001KJTIIGC8Y1R12'],
			['GB-COH', '01234567'],
			['duns', '111'],
			['US-CSL', 'x']
		]);
		expect([...sharedIdentifiers(a, b)].sort()).toEqual(['GB-COH\u000001234567', 'LEI\u00005493001KJTIIGC8Y1R12']);
		expect(sharedIdentifiers(a, card('c', [['LEI', 'OTHER']])).size).toBe(0);
		expect(sharedIdentifiers(a, null).size).toBe(0);
	});
});

describe('party cards', () => {
	it('write shares exact, as ranges, as bounds, or not at all', () => {
		expect(fmtShare(0.51, null)).toBe('51 %');
		expect(fmtShare(0.125, 0.125)).toBe('12.5 %');
		expect(fmtShare(0.25, 0.5)).toBe('25–50 %');
		expect(fmtShare(0, 1)).toBe('0–100 %');
		expect(fmtShare(null, 0.5)).toBe('up to 50 %');
		expect(fmtShare(null, null)).toBe('');
	});

	it('say "on or before" for a listing without a designation date', () => {
		expect(fmtEffective({ effective: '2024-06-24', effective_precision: null })).toBe('2024-06-24');
		expect(fmtEffective({ effective: '2024-06-24', effective_precision: 'on_or_before' })).toBe('on or before 2024-06-24');
	});

	it('write periods, relations, owners, countries and names', () => {
		expect(fmtPeriod('2019-01-01', '2021-12-31')).toBe('2019-01-01 – 2021-12-31');
		expect(fmtPeriod('2019-01-01', null)).toBe('since 2019-01-01');
		expect(fmtPeriod(null, '2021-12-31')).toBe('until 2021-12-31');
		expect(fmtPeriod(null, null)).toBe('');
		expect(relationLabel('equity')).toBe('Owner (equity)');
		expect(relationLabel('control')).toBe('Controller');
		const line = { owner_id: 'sc-commission', owner_name: null, to_id: 'x', relation: 'equity', share: 0.6, share_max: null, since: null, until: null, source: 's' };
		expect(ownerName(line)).toBe('sc-commission');
		expect(ownerName({ ...line, owner_name: 'State Commission' })).toBe('State Commission');
		expect(fmtCountry('RU')).toBe('RU');
		expect(fmtCountry('XRW')).toBe('XRW (region or unknown)');
		expect(partyName(card('a', []), 'a')).toBe('a Ltd');
		expect(partyName(null, 'fcc:x')).toBe('fcc:x');
	});

	it('list each list once', () => {
		const listing = (list: string, effective: string) => ({ subject_id: 'a', list, program: null, effective, effective_precision: null, ends: null, source: 's' });
		const c = card('a', [], { listings: [listing('US-BIS-ENTITY', '2020-01-01'), listing('US-FCC-COVERED', '2022-03-25'), listing('US-BIS-ENTITY', '2024-06-24')] });
		expect(listsOf(c)).toEqual(['US-BIS-ENTITY', 'US-FCC-COVERED']);
		expect(listsOf(undefined)).toEqual([]);
	});
});

describe('the queue', () => {
	it('counts what was screened at the threshold', () => {
		expect(countsLine({ min_score: 0.7, book: 17, others: 31, candidates: QUEUE })).toBe('5 candidates between 17 book parties and 31 published parties at ≥ 0.70');
		expect(countsLine({ min_score: 0.95, book: 1, others: 1, candidates: [QUEUE[0]!] })).toBe('1 candidate between 1 book party and 1 published party at ≥ 0.95');
	});

	it('offers thresholds from 0.50 to 0.95 by 0.05, the default among them', () => {
		expect(MIN_SCORES).toEqual([0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]);
	});

	it('moves within its bounds', () => {
		expect(moveIndex(0, 1, 3)).toBe(1);
		expect(moveIndex(2, 1, 3)).toBe(2);
		expect(moveIndex(0, -1, 3)).toBe(0);
		expect(moveIndex(-1, 1, 3)).toBe(0);
		expect(moveIndex(-1, -1, 3)).toBe(2);
		expect(moveIndex(0, 1, 0)).toBe(-1);
	});

	it('keys a candidate by its pair, the book side first', () => {
		expect(candidateKey(QUEUE[0]!)).toBe('acme\u0000gleif:1');
		expect(candidateKey({ entity_id: 'gleif:1', other_id: 'acme' })).not.toBe(candidateKey(QUEUE[0]!));
	});

	it('has keys for moving, deciding and the basis, each listed in the help', () => {
		expect(['j', 'ArrowDown', 'k', 'ArrowUp', 's', 'd', 'b'].map(screeningKey)).toEqual(['next', 'next', 'previous', 'previous', 'same', 'different', 'basis']);
		expect(screeningKey('x')).toBeNull();
		expect(screeningKey('S')).toBeNull();
		expect(new Set(SCREENING_SHORTCUTS.map((s) => s.action))).toEqual(new Set(['next', 'previous', 'same', 'different', 'basis']));
	});
});
