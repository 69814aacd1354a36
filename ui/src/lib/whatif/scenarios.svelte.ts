//! Saved scenarios (save / load / delete) and the presentation of a diff between two of them.
import type { Factor } from '$lib/api/bindings/Factor';
import type { SavedScenario } from '$lib/api/bindings/SavedScenario';
import type { ScenarioDiff } from '$lib/api/bindings/ScenarioDiff';
import type { ScenarioInput } from '$lib/api/bindings/ScenarioInput';
import type { ScenarioList } from '$lib/api/bindings/ScenarioList';
import { FACTOR_LABELS, FACTORS } from '$lib/domain/factors';
import { fmtSigned, rankArrow } from '$lib/domain/format';

export type DiffWeightRow = { factor: Factor; label: string; a: number; b: number; change: number; changed: boolean };
export type DiffVendorRow = {
	vendor_id: string;
	name: string;
	rank_a: number;
	rank_b: number;
	arrow: string;
	direction: 'up' | 'down' | 'same';
	score_a: number;
	score_b: number;
	scoreChange: string;
};
export type DiffPresentation = {
	title: string;
	weights: DiffWeightRow[];
	method: { a: string; b: string } | null;
	params: { name: string; a: string; b: string }[];
	vendors: DiffVendorRow[];
	summary: string;
};

/** A diff as the view shows it: weights in factor order, vendors by rank in b, movement spelled out. */
export function presentDiff(diff: ScenarioDiff, names: Record<string, string> = {}): DiffPresentation {
	const weights = FACTORS.map((factor) => {
		const [a, b] = diff.weights[factor] ?? [0, 0];
		return { factor, label: FACTOR_LABELS[factor], a, b, change: b - a, changed: Math.abs(b - a) > 1e-12 };
	});
	const params = Object.entries(diff.params)
		.map(([name, [a, b]]) => ({ name, a, b }))
		.sort((x, y) => x.name.localeCompare(y.name));
	const vendors = [...diff.vendors]
		.sort((x, y) => x.rank_b - y.rank_b)
		.map((v) => ({
			vendor_id: v.vendor_id,
			name: names[v.vendor_id] ?? v.vendor_id,
			rank_a: v.rank_a,
			rank_b: v.rank_b,
			arrow: rankArrow(v.rank_change),
			direction: (v.rank_change > 0 ? 'up' : v.rank_change < 0 ? 'down' : 'same') as DiffVendorRow['direction'],
			score_a: v.score_a,
			score_b: v.score_b,
			scoreChange: fmtSigned(v.score_change)
		}));
	const moved = vendors.filter((v) => v.direction !== 'same').length;
	return {
		title: `${diff.a} → ${diff.b}`,
		weights,
		method: diff.method ? { a: diff.method[0], b: diff.method[1] } : null,
		params,
		vendors,
		summary: moved === 0 ? 'No vendor changes rank.' : `${moved} of ${vendors.length} vendors change rank.`
	};
}

export type ScenarioApi = {
	scenarios(): Promise<ScenarioList>;
	saveScenario(name: string, scenario: ScenarioInput): Promise<void>;
	deleteScenario(name: string): Promise<void>;
	diffScenarios(a: string, b: string): Promise<ScenarioDiff>;
};

export class ScenarioLibrary {
	saved = $state.raw<SavedScenario[]>([]);
	presets = $state<string[]>([]);
	diffA = $state('default');
	diffB = $state('');
	diff = $state.raw<ScenarioDiff | null>(null);

	names = $derived([...this.presets, ...this.saved.map((s) => s.name)]);

	constructor(private readonly api: ScenarioApi) {}

	async load(): Promise<void> {
		const list = await this.api.scenarios();
		this.saved = list.scenarios;
		this.presets = list.presets;
		if (!this.diffB || !this.names.includes(this.diffB)) this.diffB = this.saved[0]?.name ?? this.presets[1] ?? 'default';
	}

	async save(name: string, scenario: ScenarioInput): Promise<void> {
		await this.api.saveScenario(name.trim(), scenario);
		await this.load();
	}

	async remove(name: string): Promise<void> {
		await this.api.deleteScenario(name);
		if (this.diff && (this.diff.a === name || this.diff.b === name)) this.diff = null;
		await this.load();
	}

	async runDiff(): Promise<void> {
		this.diff = await this.api.diffScenarios(this.diffA, this.diffB);
	}
}
