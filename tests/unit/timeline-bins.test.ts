// The zoomed-out timeline reads pre-counted bins instead of millions of events: the columns it
// gets must be those of looking at every event (up to half a pixel at a column's edge).
import { describe, expect, it } from 'vitest';
import {
	binsToColumns,
	buildPyramid,
	buildTraceBins,
	traceBinsToColumns
} from '../../src/lib/worker/bins';

function random(seed: number) {
	return () => {
		seed = (seed * 1103515245 + 12345) & 0x7fffffff;
		return seed / 0x7fffffff;
	};
}

function scan(xs: Float64Array, ranks: Int32Array, v0: number, v1: number, plotW: number) {
	const n = Math.ceil(plotW) + 1;
	const count = new Int32Array(n);
	const rank = new Int32Array(n).fill(1 << 30);
	for (let i = 0; i < xs.length; i++) {
		const c = Math.round(((xs[i] - v0) / (v1 - v0)) * plotW);
		if (c < 0 || c >= n) continue;
		count[c]++;
		rank[c] = Math.min(rank[c], ranks[i]);
	}
	return { count, rank };
}

describe('timeline bins', () => {
	const rnd = random(7);
	const N = 300_000;
	// clustered x values: bursts and quiet stretches, like a real log
	const xs = Float64Array.from({ length: N }, () => {
		const burst = Math.floor(rnd() * 20);
		return burst * 50_000 + rnd() * (burst % 3 ? 3000 : 40_000);
	}).sort();
	const ranks = Int32Array.from({ length: N }, () => Math.floor(rnd() * 12));
	const order = Int32Array.from({ length: N }, (_, i) => i);
	const pyramid = buildPyramid({
		order,
		x: (i) => xs[i],
		rank: (i) => ranks[i],
		event: (i) => i,
		xMin: xs[0],
		xMax: xs[N - 1]
	});

	for (const [v0, v1] of [
		[xs[0] - 1000, xs[N - 1] + 1000],
		[100_000, 400_000],
		[xs[0], xs[0] + 60_000]
	]) {
		it(`columns of [${v0.toFixed(0)}, ${v1.toFixed(0)}] match a scan of every item`, () => {
			const plotW = 1154;
			const n = Math.ceil(plotW) + 1;
			const cols = {
				count: new Int32Array(n),
				event: new Int32Array(n).fill(-1),
				rank: new Int32Array(n).fill(1 << 30)
			};
			expect(binsToColumns(pyramid, v0, v1, plotW, cols)).toBe(true);
			const exact = scan(xs, ranks, v0, v1, plotW);
			const sum = (a: Int32Array) => a.reduce((s, k) => s + k, 0);
			// every item is counted, give or take the ones at the window's two edges
			expect(Math.abs(sum(cols.count) - sum(exact.count))).toBeLessThanOrEqual(
				exact.count[0] + exact.count[n - 1] + cols.count[0] + cols.count[n - 1]
			);
			for (let c = 1; c < n - 1; c++) {
				// a bin lands in its centre's column: at most one column away from its items'
				const near = exact.count[c - 1] + exact.count[c] + exact.count[c + 1];
				expect(cols.count[c]).toBeLessThanOrEqual(near);
				if (cols.count[c] > 0) {
					const best = Math.min(exact.rank[c - 1], exact.rank[c], exact.rank[c + 1]);
					expect(cols.rank[c]).toBeGreaterThanOrEqual(best);
					expect(ranks[cols.event[c]]).toBe(cols.rank[c]);
				}
			}
		});
	}

	it('says when the window is narrower than the fine bins (items are then read one by one)', () => {
		const n = 101;
		const cols = {
			count: new Int32Array(n),
			event: new Int32Array(n),
			rank: new Int32Array(n)
		};
		const w = pyramid.width[0];
		expect(binsToColumns(pyramid, 1000, 1000 + w * 10, 100, cols)).toBe(false);
	});

	it('counts per status add up (flushes)', () => {
		const status = Int32Array.from({ length: N }, () => Math.floor(rnd() * 4));
		const p = buildPyramid({
			order,
			x: (i) => xs[i],
			rank: (i) => status[i],
			event: (i) => i,
			status: { of: (i) => status[i], count: 4 },
			xMin: xs[0],
			xMax: xs[N - 1]
		});
		const n = 801;
		const cols = {
			count: new Int32Array(n),
			event: new Int32Array(n).fill(-1),
			rank: new Int32Array(n).fill(1 << 30)
		};
		const by = [0, 1, 2, 3].map(() => new Int32Array(n));
		expect(binsToColumns(p, xs[0] - 1, xs[N - 1] + 1, 800, cols, by)).toBe(true);
		for (let c = 0; c < n; c++) expect(by.reduce((s, a) => s + a[c], 0)).toBe(cols.count[c]);
		expect(cols.count.reduce((s, k) => s + k, 0)).toBe(N);
	});

	it('trace density per column matches counting the traces that touch it', () => {
		const T = 100_000;
		const x0 = Float64Array.from({ length: T }, () => rnd() * 1_000_000);
		const x1 = x0.map((x) => x + (rnd() < 0.01 ? rnd() * 200_000 : rnd() * 300));
		const error = Uint8Array.from({ length: T }, () => (rnd() < 0.05 ? 1 : 0));
		const tb = buildTraceBins(T, x0, x1, error, null, 0, 1_200_000);
		const plotW = 1000;
		const n = plotW + 1;
		const density = new Int32Array(n);
		const errors = new Int32Array(n);
		expect(traceBinsToColumns(tb, 0, 1_200_000, plotW, density, errors)).toBe(true);
		const scale = plotW / 1_200_000;
		const exact = new Int32Array(n);
		for (let t = 0; t < T; t++) {
			const c0 = Math.floor(x0[t] * scale);
			const c1 = Math.floor(x1[t] * scale);
			for (let c = c0; c <= c1; c++) exact[c]++;
		}
		for (let c = 0; c < n - 1; c++) {
			// bins straddling a column edge may count a trace in both neighbours
			expect(density[c]).toBeGreaterThanOrEqual(exact[c] * 0.9);
			expect(density[c]).toBeLessThanOrEqual(exact[c] * 1.1 + 3);
			expect(errors[c]).toBeLessThanOrEqual(density[c]);
		}
	});
});
