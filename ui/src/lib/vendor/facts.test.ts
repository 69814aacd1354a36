import { describe, expect, it, vi } from 'vitest';
import type { EntryResult } from '$lib/api/bindings/EntryResult';
import { BackendError } from '$lib/api/errors';
import { FixtureBackend, recorded } from '$lib/api/fixtures';
import { localDate } from '$lib/domain/format';
import { errorLine, errorsByField, FactsEditor, prefill, rowDefaults, rowDetail, rowLabel, TABLE_LABELS, type Cells, type FactsApi } from './facts.svelte';

const schema = (table: string) => recorded.tableSchemas.find((s) => s.table === table)!;

/** A valid note about Kaspersky Lab, as the form would hold it. */
function fillNote(editor: FactsEditor, noteId: string): void {
	Object.assign(editor.values, {
		note_id: noteId,
		date: '2024-06-20',
		speaker: 'US Department of Commerce',
		stance: 'concern',
		severity: '3',
		reliability: 'A',
		credibility: '1',
		summary: 'Final determination under the ICTS rule.',
		source: 'Federal Register'
	});
}

describe('facts form', () => {
	it('prefills the vendor in the vendor column of every table, and nothing else', () => {
		expect(prefill(schema('sales'), 'kaspersky', 'kl-entity')).toEqual({
			vendor_id: 'kaspersky',
			year: '',
			country: '',
			segment: '',
			revenue_usd: '',
			source: '',
			source_date: ''
		});
		expect(prefill(schema('testimony'), 'kaspersky', 'kl-entity')['subject_id']).toBe('kl-entity');
		expect(prefill(schema('ownership'), 'kaspersky', 'kl-entity')['to_id']).toBe('kl-entity');
		expect(prefill(schema('entities'), 'kaspersky', 'kl-entity')['entity_id']).toBe('kl-entity');
	});

	it('opens on a table with the vendor prefilled and lists its rows', async () => {
		const editor = new FactsEditor(new FixtureBackend());
		await editor.open('kaspersky', 'testimony');
		expect(editor.phase).toBe('ready');
		expect(editor.entityId).toBe('kaspersky');
		expect(editor.values['subject_id']).toBe('kaspersky');
		expect(editor.values['note_id']).toBe('');
		expect(Object.keys(editor.values)).toEqual(schema('testimony').columns.map((c) => c.name));
		expect(editor.rows.map((r) => r['note_id'])).toContain('kl-2017-ssci-rogers');
		await editor.select('designations');
		expect(editor.values['subject_id']).toBe('kaspersky');
		const bod = editor.rows.find((r) => r['list'] === 'US-BOD-17-01')!;
		expect(rowLabel(editor.schema!, bod)).toBe('kaspersky · US-BOD-17-01 · 2017-09-13');
		expect(rowDetail(editor.schema!, bod, 40)).toBe('US Department of Homeland Security, Bin…');
	});

	it('Edit fills every field from the row and an unchanged key replaces it', async () => {
		const backend = new FixtureBackend();
		const editor = new FactsEditor(backend);
		await editor.open('kaspersky', 'testimony');
		const rogers = editor.rows.find((r) => r['note_id'] === 'kl-2017-ssci-rogers')!;
		editor.edit(rogers);
		expect(editor.values).toEqual(Object.fromEntries(schema('testimony').columns.map((c) => [c.name, rogers[c.name]])));
		expect(editor.editing).toBe(rogers);
		expect(editor.keyChanged).toBe(false);
		editor.values['severity'] = '3';
		const batch = await editor.save();
		expect(batch!.label).toBe('entered by hand');
		const stored = (await backend.vendorRows('kaspersky', 'testimony')).filter((r) => r['note_id'] === 'kl-2017-ssci-rogers');
		expect(stored.map((r) => r['severity'])).toEqual(['3']);
		editor.edit(rogers);
		editor.values['note_id'] = 'kl-copy';
		expect(editor.keyChanged).toBe(true);
	});

	it('maps a rejected row’s errors to the fields they name and keeps the form', async () => {
		const editor = new FactsEditor(new FixtureBackend());
		await editor.open('kaspersky', 'testimony');
		fillNote(editor, 'kl-bad');
		editor.values['date'] = '2017-13-40';
		editor.values['reliability'] = '';
		expect(await editor.save()).toBeNull();
		expect(editor.errors.map(errorLine)).toEqual([
			'testimony.csv:2:date: "2017-13-40" is not a calendar date YYYY-MM-DD',
			'testimony.csv:2:reliability: a value is required'
		]);
		expect([...editor.fieldErrors.keys()]).toEqual(['date', 'reliability']);
		expect(editor.firstInvalid).toBe('date');
		expect(editor.values['date']).toBe('2017-13-40');
		expect(editor.values['note_id']).toBe('kl-bad');
	});

	it('lists errors that name no field of the form without mapping them', () => {
		const errors = [
			{ file: 'testimony.csv', line: 1, column: '', message: 'the file is empty' },
			{ file: 'testimony.csv', line: 2, column: 'summary', message: 'text of 2000000 bytes is longer than 1 MiB' }
		];
		expect([...errorsByField(errors, schema('testimony')).entries()]).toEqual([['summary', ['text of 2000000 bytes is longer than 1 MiB']]]);
	});

	it('on success records a batch and resets the form to a new, prefilled row', async () => {
		const backend = new FixtureBackend();
		const editor = new FactsEditor(backend);
		await editor.open('kaspersky', 'testimony');
		editor.edit(editor.rows[0]!);
		fillNote(editor, 'kl-2024-icts');
		const batch = await editor.save();
		expect(batch!.counts).toEqual({ testimony: 1 });
		expect((await backend.batches()).at(-1)!.batch_id).toBe(batch!.batch_id);
		expect(editor.values).toEqual(prefill(schema('testimony'), 'kaspersky', 'kaspersky'));
		expect(editor.editing).toBeNull();
		expect(editor.errors).toEqual([]);
		expect((await backend.vendorRows('kaspersky', 'testimony')).some((r) => r['note_id'] === 'kl-2024-icts')).toBe(true);
	});

	it('sends every column, and shows a failure that is not a row error', async () => {
		const sent: Cells[][] = [];
		const backend = new FixtureBackend();
		const api: FactsApi = {
			tableSchemas: () => backend.tableSchemas(),
			vendorRows: (v, t) => backend.vendorRows(v, t),
			enterRows: (_table, rows): Promise<EntryResult> => {
				sent.push(rows);
				return Promise.reject(new BackendError('invalid', 'refused, nothing was changed: equity shares held in "x" would sum to 1.2'));
			},
			userName: () => backend.userName()
		};
		const editor = new FactsEditor(api);
		await editor.open('kaspersky', 'sales');
		editor.values['year'] = '2016';
		expect(await editor.save()).toBeNull();
		expect(sent[0]).toEqual([{ ...prefill(schema('sales'), 'kaspersky', 'kaspersky'), year: '2016' }]);
		expect(editor.failure).toContain('refused');
		expect(editor.busy).toBe(false);
	});

	it('a slower answer for an earlier table does not overwrite the rows of the chosen one', async () => {
		const backend = new FixtureBackend();
		let release: () => void = () => {};
		const gate = new Promise<void>((r) => (release = r));
		const editor = new FactsEditor({
			tableSchemas: () => backend.tableSchemas(),
			vendorRows: async (v, t) => {
				if (t === 'sales') await gate;
				return backend.vendorRows(v, t);
			},
			enterRows: (t, rows) => backend.enterRows(t, rows),
			userName: () => backend.userName()
		});
		await editor.open('kaspersky', 'testimony');
		const slow = editor.select('sales');
		await editor.select('designations');
		release();
		await slow;
		expect(editor.table).toBe('designations');
		expect(editor.rows.every((r) => 'list' in r)).toBe(true);
	});
});

describe('identity facts: identifiers, aliases and links', () => {
	const TODAY = '2026-12-06';

	/** The fixture backend behind a FactsApi that counts the user-name questions (and may answer otherwise). */
	function counting(userName?: () => Promise<string>, own: Cells[] | null = null) {
		const backend = new FixtureBackend();
		const asked = { userName: 0 };
		const api: FactsApi = {
			tableSchemas: () => backend.tableSchemas(),
			vendorRows: (v, t) => (t === 'vendors' && own ? Promise.resolve(own) : backend.vendorRows(v, t)),
			enterRows: (t, rows) => backend.enterRows(t, rows),
			userName: () => {
				asked.userName += 1;
				return userName ? userName() : backend.userName();
			}
		};
		return { backend, api, asked };
	}

	/** A valid new link from the form's prefilled state. */
	function fillLink(editor: FactsEditor, otherId: string): void {
		Object.assign(editor.values, { other_id: otherId, decision: 'same', basis: 'Same LEI in both registries' });
	}

	it('appear from the schemas, labelled, with the vendor’s entity in entity_id', async () => {
		const { api } = counting(undefined, [{ vendor_id: 'kaspersky', entity_id: 'kl-entity' }]);
		const editor = new FactsEditor(api, () => TODAY);
		await editor.open('kaspersky', 'testimony');
		expect(editor.schemas.map((s) => s.table)).toEqual(expect.arrayContaining(['identifiers', 'aliases', 'links']));
		for (const table of ['identifiers', 'aliases', 'links']) {
			await editor.select(table);
			expect(TABLE_LABELS[table]).toBeDefined();
			expect(editor.schema!.vendor_column).toBe('entity_id');
			expect(editor.values['entity_id']).toBe('kl-entity');
		}
		expect(prefill(schema('aliases'), 'kaspersky', 'kl-entity')).toEqual({ entity_id: 'kl-entity', name: '', kind: '', source: '', source_date: '' });
	});

	it('a new link is decided by the OS user, today; no other table gets either', async () => {
		const { api } = counting();
		const editor = new FactsEditor(api, () => TODAY);
		await editor.open('kaspersky', 'links');
		expect(editor.values).toEqual({
			entity_id: 'kaspersky',
			other_id: '',
			decision: '',
			decided_by: 'analyst',
			decided_on: TODAY,
			basis: '',
			source: '',
			source_date: ''
		});
		await editor.select('testimony');
		expect(Object.values(editor.values).filter((v) => v !== '')).toEqual(['kaspersky']);
		expect(rowDefaults('testimony', 'analyst', TODAY)).toEqual({});
		expect(prefill(schema('testimony'), 'kaspersky', 'kaspersky', rowDefaults('links', 'analyst', TODAY))).toEqual(prefill(schema('testimony'), 'kaspersky', 'kaspersky'));
	});

	it('asks the OS user name once, however often the form is opened or reset', async () => {
		const { api, asked } = counting();
		const editor = new FactsEditor(api, () => TODAY);
		await editor.open('kaspersky', 'links');
		await editor.select('testimony');
		await editor.select('links');
		editor.newRow();
		await editor.open('kaspersky', 'links');
		expect(editor.values['decided_by']).toBe('analyst');
		expect(asked.userName).toBe(1);
	});

	it('keeps a name typed over the OS user’s, for the link saved and the next one; the OS name again resets it', async () => {
		const { api, backend } = counting();
		const editor = new FactsEditor(api, () => TODAY);
		await editor.open('kaspersky', 'links');
		fillLink(editor, 'kl-uk');
		editor.values['decided_by'] = 'J. Doe';
		expect((await editor.save())?.counts).toEqual({ links: 1 });
		const stored = await backend.vendorRows('kaspersky', 'links');
		expect(stored.map((r) => [r['entity_id'], r['other_id'], r['decided_by'], r['decided_on']])).toContainEqual(['kaspersky', 'kl-uk', 'J. Doe', TODAY]);
		expect(editor.values['other_id']).toBe('');
		expect(editor.values['decided_by']).toBe('J. Doe');
		expect(editor.values['decided_on']).toBe(TODAY);
		fillLink(editor, 'kl-us');
		editor.values['decided_by'] = 'analyst';
		await editor.save();
		expect(editor.values['decided_by']).toBe('analyst');
		expect(editor.decidedBy).toBeNull();
	});

	it('editing a stored link keeps who decided it and does not change what a new link is prefilled with', async () => {
		const { api, backend } = counting();
		await backend.enterRows('links', [
			{ entity_id: 'kaspersky', other_id: 'kl-holding', decision: 'different', decided_by: 'M. Roe', decided_on: '2025-03-01' }
		]);
		const editor = new FactsEditor(api, () => TODAY);
		await editor.open('kaspersky', 'links');
		const stored = editor.rows.find((r) => r['other_id'] === 'kl-holding')!;
		editor.edit(stored);
		expect(editor.values['decided_by']).toBe('M. Roe');
		expect(editor.values['decided_on']).toBe('2025-03-01');
		editor.values['basis'] = 'Different registration numbers';
		await editor.save();
		expect(editor.values['decided_by']).toBe('analyst');
		expect(editor.decidedBy).toBeNull();
	});

	it('leaves who decided empty when the OS gives no name or the question fails, and still opens', async () => {
		for (const answer of [() => Promise.resolve(''), () => Promise.reject(new BackendError('internal', 'no user'))]) {
			const { api } = counting(answer);
			const editor = new FactsEditor(api, () => TODAY);
			await editor.open('kaspersky', 'links');
			expect(editor.phase).toBe('ready');
			expect(editor.values['decided_by']).toBe('');
			expect(editor.values['decided_on']).toBe(TODAY);
		}
	});

	it('is decided on today’s local date by default', async () => {
		const editor = new FactsEditor(new FixtureBackend());
		await editor.open('kaspersky', 'links');
		expect(editor.values['decided_on']).toBe(localDate());
		expect(editor.values['decided_on']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
	});

	it('today is the date where the user is, not in UTC', () => {
		try {
			vi.stubEnv('TZ', 'Pacific/Auckland');
			expect(localDate(new Date(2026, 0, 1, 0, 30))).toBe('2026-01-01');
			vi.stubEnv('TZ', 'America/Los_Angeles');
			expect(localDate(new Date(2026, 11, 31, 23, 30))).toBe('2026-12-31');
		} finally {
			vi.unstubAllEnvs();
		}
	});
});
