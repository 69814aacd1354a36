import { describe, expect, it } from 'vitest';
import { FixtureBackend } from './fixtures';
import { liveScoresOf, liveTableOf, parseLiveScores } from './live';

/** The bytes the shell sends (src/engine.rs, LiveScores::to_bytes), written here by hand. */
function encode(generation: number, weights: number[], scores: number[], order: number[], bands: number[]): ArrayBuffer {
	const n = scores.length;
	const buffer = new ArrayBuffer(80 + 13 * n);
	const view = new DataView(buffer);
	view.setUint32(0, 1, true);
	view.setUint32(4, n, true);
	view.setBigUint64(8, BigInt(generation), true);
	weights.forEach((w, j) => view.setFloat64(16 + 8 * j, w, true));
	scores.forEach((s, p) => view.setFloat64(80 + 8 * p, s, true));
	order.forEach((p, r) => view.setUint32(80 + 8 * n + 4 * r, p, true));
	bands.forEach((b, p) => view.setUint8(80 + 12 * n + p, b));
	return buffer;
}

describe('the live ranking bytes', () => {
	it('read back as typed arrays over the same buffer', () => {
		const live = parseLiveScores(encode(7, [0.2, 0.15, 0.1, 0.05, 0.15, 0.15, 0.1, 0.1], [12.5, 80.25, 40], [1, 2, 0], [0, 3, 1]));
		expect(live.generation).toBe(7);
		expect(live.weights.install_base).toBe(0.1);
		expect([...live.scores]).toEqual([12.5, 80.25, 40]);
		expect([...live.order]).toEqual([1, 2, 0]);
		expect([...live.bands]).toEqual([0, 3, 1]);
	});

	it('refuse another format or a truncated answer', () => {
		const buffer = encode(1, [1, 0, 0, 0, 0, 0, 0, 0], [1], [0], [0]);
		new DataView(buffer).setUint32(0, 2, true);
		expect(() => parseLiveScores(buffer)).toThrow(/format 2/);
		expect(() => parseLiveScores(encode(1, [1, 0, 0, 0, 0, 0, 0, 0], [1], [0], [0]).slice(0, 90))).toThrow(/bytes/);
	});

	it('say what the full report says', async () => {
		const report = await new FixtureBackend().score({});
		const table = liveTableOf(report, 1);
		const live = liveScoresOf(report, 1);
		report.vendors.forEach((v, rank) => {
			const p = live.order[rank]!;
			expect(table.vendors[p]!.vendor_id).toBe(v.vendor_id);
			expect(live.scores[p]).toBe(v.score);
		});
	});
});
