// Axis labels stay apart at every zoom: from a millisecond to logs pasted together from years apart.
import { describe, expect, it } from 'vitest';
import { ticks } from '../../src/lib/components/timeline/render';
import type { AnalysisView } from '../../src/lib/worker/view';

const timeView = { axis: 'time', zone: 'Z' } as AnalysisView;
const DAY = 86400e3;

describe('time axis ticks', () => {
	const plotW = 1000;
	const v0 = Date.UTC(2019, 4, 3, 10, 2, 11);
	for (const span of [
		5,
		800,
		90e3,
		5 * 3600e3,
		3 * DAY,
		40 * DAY,
		400 * DAY,
		7 * 365 * DAY,
		150 * 365 * DAY
	]) {
		it(`keeps labels at least 100 px apart over ${span} ms`, () => {
			const tk = ticks(timeView, v0, v0 + span, plotW);
			expect(tk.length).toBeGreaterThanOrEqual(1);
			// the step is chosen for ≥ 110 px between labels
			expect(tk.length).toBeLessThanOrEqual(Math.floor(plotW / 100) + 1);
			for (let i = 1; i < tk.length; i++) {
				expect(((tk[i].x - tk[i - 1].x) / span) * plotW).toBeGreaterThanOrEqual(100);
				expect(tk[i].label).not.toBe(tk[i - 1].label);
			}
		});
	}

	it('labels dates once a step is a day or more', () => {
		const tk = ticks(timeView, v0, v0 + 7 * 365 * DAY, plotW);
		for (const t of tk) expect(t.label).toMatch(/^\d{4}-\d{2}-\d{2}$/);
	});
});

describe('line axis ticks', () => {
	const lineView = { axis: 'line', files: [{}], fileStart: [0] } as unknown as AnalysisView;

	it('start at line 1 or the first step, never at L0', () => {
		for (const [v0, v1] of [
			[-3, 170],
			[0.3, 7.7],
			[-0.2, 2000]
		]) {
			const tk = ticks(lineView, v0, v1, 1000);
			expect(tk.length).toBeGreaterThan(0);
			expect(tk[0].x).toBeGreaterThanOrEqual(1);
			expect(tk.map((t) => t.label)).not.toContain('L0');
		}
	});
});
