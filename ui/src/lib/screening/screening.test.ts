import { describe, expect, it } from 'vitest';
import type { Batch } from '$lib/api/bindings/Batch';
import type { Candidate } from '$lib/api/bindings/Candidate';
import type { LinkDecision } from '$lib/api/bindings/LinkDecision';
import type { PartyCard } from '$lib/api/bindings/PartyCard';
import { BackendError } from '$lib/api/errors';
import { FixtureBackend, recorded } from '$lib/api/fixtures';
import { candidateKey } from './queue';
import { ScreeningState, type ScreeningApi } from './screening.svelte';

const card = (id: string, identifiers: [string, string][] = []): PartyCard => ({
	id,
	vendor_id: id.includes(':') ? null : id,
	kind: 'company',
	country: 'GB',
	names: [id],
	identifiers: identifiers.map(([scheme, value]) => ({ scheme, value })),
	linked: [],
	listings: [],
	owners: []
});

const QUEUE: Candidate[] = [
	{ entity_id: 'acme', other_id: 'gleif:1', vendor_id: 'acme', score: 1, reasons: ['same identifier LEI 1', 'names agree'] },
	{ entity_id: 'acme', other_id: 'oc:2', vendor_id: 'acme', score: 0.9, reasons: ['names agree at 0.90'] },
	{ entity_id: 'bolt', other_id: 'gleif:3', vendor_id: 'bolt', score: 1, reasons: ['same identifier LEI 3'] },
	{ entity_id: 'bolt', other_id: 'sdn:4', vendor_id: 'bolt', score: 0.75, reasons: ['names agree at 0.95', 'countries differ: GB and RU (−0.20)'] }
];
const PARTIES: Record<string, PartyCard> = {
	acme: card('acme', [['LEI', '1']]),
	bolt: card('bolt', [['LEI', '3']]),
	'gleif:1': card('gleif:1', [['LEI', '1']]),
	'gleif:3': card('gleif:3', [['LEI', '3']]),
	'oc:2': card('oc:2'),
	'sdn:4': card('sdn:4')
};

/** A backend holding a queue: decisions take candidates out as one batch each, `refuse` rejects the next one. */
function backend(user = 'ana') {
	let queue = [...QUEUE];
	let nextBatch = 10;
	const sent: LinkDecision[][] = [];
	const thresholds: number[] = [];
	const batch = (id: number): Batch => ({ batch_id: id, created_at: '2026-11-27T00:00:00Z', label: 'link', files: [], counts: { links: 1 }, undone_at: null, created_by: 'analyst', undone_by: null });
	const state = { refuse: null as string | null, sent, thresholds, undone: [] as number[] };
	const api: ScreeningApi = {
		async screen(minScore) {
			thresholds.push(minScore);
			const candidates = queue.filter((c) => c.score >= minScore);
			return { report: { min_score: minScore, book: 2, others: 4, candidates }, parties: PARTIES };
		},
		async decideLinks(decisions) {
			if (state.refuse) throw new BackendError('invalid', state.refuse);
			sent.push(decisions);
			queue = queue.filter((c) => !decisions.some((d) => d.entity_id === c.entity_id && d.other_id === c.other_id));
			return { batch: batch(nextBatch++), warnings: [], notes: [] };
		},
		async links() {
			return { links: [] };
		},
		async undo(batchId) {
			state.undone.push(batchId);
			queue = [...QUEUE];
			return batch(batchId);
		},
		async userName() {
			return user;
		}
	};
	return { api, state };
}

describe('the Screening queue', () => {
	it('opens on the best candidate, with who decides prefilled from the OS user', async () => {
		const { api, state } = backend('  Ana Analyst ');
		const screening = new ScreeningState(api);
		await screening.init();
		await Promise.resolve();
		expect(state.thresholds).toEqual([0.7]);
		expect(screening.candidates.map((c) => c.other_id)).toEqual(['gleif:1', 'oc:2', 'gleif:3', 'sdn:4']);
		expect(screening.selected?.other_id).toBe('gleif:1');
		expect(screening.decidedBy).toBe('Ana Analyst');
		expect([...screening.shared]).toEqual(['LEI\u00001']);
		expect(screening.matches.map((c) => c.other_id)).toEqual(['gleif:1', 'gleif:3']);
	});

	it('moves through the queue within its ends, each candidate with a fresh basis', async () => {
		const screening = new ScreeningState(backend().api);
		await screening.init();
		screening.basis = 'typed for the first';
		screening.move(1);
		expect(screening.selected?.other_id).toBe('oc:2');
		expect(screening.basis).toBe('');
		expect(screening.shared.size).toBe(0);
		screening.move(10);
		expect(screening.selected?.other_id).toBe('sdn:4');
		screening.move(-10);
		expect(screening.selected?.other_id).toBe('gleif:1');
	});

	it('prompts for a basis first, then records without one; the next candidate takes its place', async () => {
		const { api, state } = backend();
		const screening = new ScreeningState(api);
		await screening.init();
		await Promise.resolve();
		screening.move(1);
		expect(await screening.ask('different')).toBe('prompted');
		expect(state.sent).toEqual([]);
		expect(screening.prompted).toBe('different');
		const decided = await screening.submit();
		expect(decided).toMatchObject({ count: 1, decision: 'different', batch: { batch_id: 10 } });
		expect(state.sent).toEqual([[{ entity_id: 'acme', other_id: 'oc:2', decision: 'different', decided_by: 'ana', basis: null }]]);
		expect(screening.candidates.map((c) => c.other_id)).toEqual(['gleif:1', 'gleif:3', 'sdn:4']);
		expect(screening.selected?.other_id).toBe('gleif:3');
		expect(screening.prompted).toBeNull();
	});

	it('records at once when a basis is given, and undoes the batch', async () => {
		const { api, state } = backend();
		const screening = new ScreeningState(api);
		await screening.init();
		await Promise.resolve();
		screening.basis = '  Same LEI in the GLEIF record ';
		const decided = await screening.ask('same');
		expect(decided).not.toBe('prompted');
		expect(state.sent[0]![0]!.basis).toBe('Same LEI in the GLEIF record');
		expect(screening.candidates).toHaveLength(3);
		await screening.undo(10);
		expect(state.undone).toEqual([10]);
		expect(screening.candidates).toHaveLength(4);
	});

	it('confirms every identifier match in one batch', async () => {
		const { api, state } = backend();
		const screening = new ScreeningState(api);
		await screening.init();
		await Promise.resolve();
		const decided = await screening.confirmMatches();
		expect(decided).toMatchObject({ count: 2, decision: 'same' });
		expect(state.sent).toHaveLength(1);
		expect(state.sent[0]!.map((d) => [d.other_id, d.decision, d.basis])).toEqual([
			['gleif:1', 'same', 'same identifier LEI 1'],
			['gleif:3', 'same', 'same identifier LEI 3']
		]);
		expect(screening.matches).toEqual([]);
		expect(screening.candidates.map((c) => c.other_id)).toEqual(['oc:2', 'sdn:4']);
	});

	it('shows a refusal and keeps the candidate', async () => {
		const { api, state } = backend();
		const screening = new ScreeningState(api);
		await screening.init();
		state.refuse = 'links.csv:2:other_id: this link would make vendors "acme" and "bolt" one entity';
		screening.basis = 'x';
		expect(await screening.ask('same')).toBeNull();
		expect(screening.refusal).toMatch(/would make vendors "acme" and "bolt" one entity/);
		expect(screening.selected?.other_id).toBe('gleif:1');
		expect(screening.basis).toBe('x');
		screening.move(1);
		expect(screening.refusal).toBeNull();
	});

	it('decides nothing without who decides', async () => {
		const { api, state } = backend('');
		const screening = new ScreeningState(api);
		await screening.init();
		await Promise.resolve();
		expect(screening.canDecide).toBe(false);
		expect(await screening.ask('same')).toBeNull();
		expect(await screening.confirmMatches()).toBeNull();
		expect(state.sent).toEqual([]);
	});

	it('screens again at another threshold, keeping the selection when it is still there', async () => {
		const { api, state } = backend();
		const screening = new ScreeningState(api);
		await screening.init();
		screening.select(candidateKey(QUEUE[2]!));
		await screening.setMinScore(0.95);
		expect(state.thresholds.at(-1)).toBe(0.95);
		expect(screening.candidates.map((c) => c.other_id)).toEqual(['gleif:1', 'gleif:3']);
		expect(screening.selected?.other_id).toBe('gleif:3');
	});
});

describe('the Screening queue on the preview backend', () => {
	it('decides the first recorded candidate as one undoable `link` batch, listed among the links', async () => {
		const backend = new FixtureBackend();
		const screening = new ScreeningState(backend);
		await screening.init();
		const queued = recorded.screen.report.candidates.length;
		expect(queued).toBeGreaterThan(0);
		expect(screening.candidates).toHaveLength(queued);
		const first = screening.selected!;
		screening.basis = 'The FCC names a different legal person (Kaspersky Lab, Inc.)';
		const decided = await screening.ask('different');
		expect(decided).toMatchObject({ count: 1, batch: { label: 'link', counts: { links: 1 } } });
		expect(screening.candidates).toHaveLength(queued - 1);
		expect(screening.candidates.some((c) => candidateKey(c) === candidateKey(first))).toBe(false);
		const link = screening.links.find((l) => [l.entity_id, l.other_id].sort().join() === [first.entity_id, first.other_id].sort().join());
		expect(link).toMatchObject({ decision: 'different', decided_by: 'analyst', basis: 'The FCC names a different legal person (Kaspersky Lab, Inc.)' });
		await screening.undo((decided as { batch: Batch }).batch.batch_id);
		expect(screening.candidates).toHaveLength(queued);
		expect(screening.links).not.toContainEqual(link);
	});
});
