// Pre-aggregated marks for a zoomed-out timeline. A lane's items (sorted by x) are counted once into
// 65,536 fine bins over the whole log, and into coarser levels by pairs; a frame then reads the
// level whose bins are no wider than a pixel, so it costs O(pixels), not O(events), however many
// million events the log has. The worker counts them for a big log (view.bins); the page counts
// them again for a filter, once per filter. Pure TypeScript: runs in the worker and on the page.

/** Bins of the finest level. */
export const FINE_BINS = 1 << 16;
/** Coarsest level kept. */
const COARSE_BINS = 256;
/** A window holding more items than this is drawn from bins; fewer are looked at one by one. */
export const BIN_ABOVE = 40_000;

export interface Pyramid {
	/** Start of bin 0 and the width of one bin, per level (finest first). */
	x0: number;
	width: number[];
	count: Int32Array[];
	/** Per bin, the item that stands for it (best rank), -1 when empty. */
	event: Int32Array[];
	rank: Int32Array[];
	/** Per level and status, items of that status per bin (flushes). */
	status?: Int32Array[][];
}

export interface PyramidInput {
	/** Item ids sorted by x. */
	order: Int32Array;
	x: (id: number) => number;
	/** Lower wins the bin. */
	rank: (id: number) => number;
	/** The event a bin's mark selects. */
	event: (id: number) => number;
	include?: (id: number) => boolean;
	status?: { of: (id: number) => number; count: number };
	xMin: number;
	xMax: number;
}

export function buildPyramid(input: PyramidInput): Pyramid {
	const span = Math.max(input.xMax - input.xMin, 1e-9);
	// a little room so xMax falls inside the last bin
	const w0 = (span * (1 + 1e-9)) / FINE_BINS;
	const count = new Int32Array(FINE_BINS);
	const event = new Int32Array(FINE_BINS).fill(-1);
	const rank = new Int32Array(FINE_BINS).fill(1 << 30);
	const ns = input.status?.count ?? 0;
	const status = Array.from({ length: ns }, () => new Int32Array(FINE_BINS));
	for (let k = 0; k < input.order.length; k++) {
		const id = input.order[k];
		if (input.include && !input.include(id)) continue;
		const x = input.x(id);
		if (Number.isNaN(x)) continue;
		const b = Math.min(FINE_BINS - 1, Math.max(0, Math.floor((x - input.xMin) / w0)));
		count[b]++;
		const r = input.rank(id);
		if (r < rank[b]) {
			rank[b] = r;
			event[b] = input.event(id);
		}
		if (input.status) status[input.status.of(id)][b]++;
	}
	const p: Pyramid = {
		x0: input.xMin,
		width: [w0],
		count: [count],
		event: [event],
		rank: [rank],
		status: ns ? [status] : undefined
	};
	for (let n = FINE_BINS / 2, w = w0 * 2; n >= COARSE_BINS; n /= 2, w *= 2) {
		const L = p.count.length - 1;
		const pc = p.count[L];
		const pe = p.event[L];
		const pr = p.rank[L];
		const c = new Int32Array(n);
		const e = new Int32Array(n);
		const r = new Int32Array(n);
		for (let b = 0; b < n; b++) {
			const a = 2 * b;
			c[b] = pc[a] + pc[a + 1];
			const left = pr[a] <= pr[a + 1];
			r[b] = left ? pr[a] : pr[a + 1];
			e[b] = left ? pe[a] : pe[a + 1];
		}
		p.count.push(c);
		p.event.push(e);
		p.rank.push(r);
		p.width.push(w);
		if (p.status) {
			const prev = p.status[L];
			p.status.push(
				prev.map((s) => {
					const out = new Int32Array(n);
					for (let b = 0; b < n; b++) out[b] = s[2 * b] + s[2 * b + 1];
					return out;
				})
			);
		}
	}
	return p;
}

export interface Columns {
	event: Int32Array;
	count: Int32Array;
	rank: Int32Array;
}

/**
 * Adds the bins inside [v0, v1] into pixel columns (each bin into the column of its centre), with
 * per-status counts when asked. False when even the finest bins are wider than a pixel: then the
 * window is small enough to look at its items one by one.
 */
export function binsToColumns(
	p: Pyramid,
	v0: number,
	v1: number,
	plotW: number,
	cols: Columns,
	byStatus?: Int32Array[]
): boolean {
	const perPx = (v1 - v0) / plotW;
	let L = -1;
	for (let k = 0; k < p.width.length; k++) if (p.width[k] <= perPx) L = k;
	if (L < 0) return false;
	const w = p.width[L];
	const n = p.count[L].length;
	const count = p.count[L];
	const event = p.event[L];
	const rank = p.rank[L];
	const status = byStatus && p.status ? p.status[L] : undefined;
	const first = Math.max(0, Math.floor((v0 - p.x0) / w) - 2);
	const last = Math.min(n - 1, Math.ceil((v1 - p.x0) / w) + 2);
	const scale = plotW / (v1 - v0);
	const nc = cols.count.length;
	for (let b = first; b <= last; b++) {
		const k = count[b];
		if (!k) continue;
		const c = Math.round((p.x0 + (b + 0.5) * w - v0) * scale);
		if (c < 0 || c >= nc) continue;
		cols.count[c] += k;
		if (rank[b] < cols.rank[c]) {
			cols.rank[c] = rank[b];
			cols.event[c] = event[b];
		}
		if (status && byStatus) for (let s = 0; s < status.length; s++) byStatus[s][c] += status[s][b];
	}
	return true;
}

/** How many traces touch each fine bin, and how many start in it (as prefix sums). */
export interface TraceBins {
	x0: number;
	width: number;
	cover: Int32Array;
	errorCover: Int32Array;
	/** startsBefore[b] = traces starting in bins < b. */
	startsBefore: Int32Array;
	errorStartsBefore: Int32Array;
}

export function buildTraceBins(
	n: number,
	x0s: Float64Array,
	x1s: Float64Array,
	error: Uint8Array,
	include: ((t: number) => boolean) | null,
	xMin: number,
	xMax: number
): TraceBins {
	const w = (Math.max(xMax - xMin, 1e-9) * (1 + 1e-9)) / FINE_BINS;
	const diff = new Int32Array(FINE_BINS + 1);
	const errDiff = new Int32Array(FINE_BINS + 1);
	const starts = new Int32Array(FINE_BINS);
	const errStarts = new Int32Array(FINE_BINS);
	const bin = (x: number) => Math.min(FINE_BINS - 1, Math.max(0, Math.floor((x - xMin) / w)));
	for (let t = 0; t < n; t++) {
		if (Number.isNaN(x0s[t]) || (include && !include(t))) continue;
		const a = bin(x0s[t]);
		const b = Math.max(a, bin(Number.isNaN(x1s[t]) ? x0s[t] : x1s[t]));
		diff[a]++;
		diff[b + 1]--;
		starts[a]++;
		if (error[t]) {
			errDiff[a]++;
			errDiff[b + 1]--;
			errStarts[a]++;
		}
	}
	const cover = new Int32Array(FINE_BINS);
	const errorCover = new Int32Array(FINE_BINS);
	const startsBefore = new Int32Array(FINE_BINS + 1);
	const errorStartsBefore = new Int32Array(FINE_BINS + 1);
	for (let b = 0, run = 0, errRun = 0; b < FINE_BINS; b++) {
		run += diff[b];
		errRun += errDiff[b];
		cover[b] = run;
		errorCover[b] = errRun;
		startsBefore[b + 1] = startsBefore[b] + starts[b];
		errorStartsBefore[b + 1] = errorStartsBefore[b] + errStarts[b];
	}
	return { x0: xMin, width: w, cover, errorCover, startsBefore, errorStartsBefore };
}

/**
 * Per pixel column, the traces that touch it (those covering its first bin, plus those starting
 * in its other bins). False when a pixel is narrower than a fine bin.
 */
export function traceBinsToColumns(
	tb: TraceBins,
	v0: number,
	v1: number,
	plotW: number,
	density: Int32Array,
	errors: Int32Array
): boolean {
	const n = density.length;
	const perPx = (v1 - v0) / plotW;
	if (tb.width > perPx) return false;
	const last = tb.cover.length - 1;
	for (let c = 0; c < n; c++) {
		const xa = v0 + c * perPx;
		const xb = xa + perPx;
		if (xb < tb.x0 || xa > tb.x0 + tb.width * tb.cover.length) continue;
		const i = Math.min(last, Math.max(0, Math.floor((xa - tb.x0) / tb.width)));
		const j = Math.min(last, Math.max(i, Math.floor((xb - tb.x0) / tb.width) - 1));
		density[c] = tb.cover[i] + tb.startsBefore[j + 1] - tb.startsBefore[i + 1];
		errors[c] = tb.errorCover[i] + tb.errorStartsBefore[j + 1] - tb.errorStartsBefore[i + 1];
	}
	return true;
}

/** Every event of the log counted into fine bins (all, and failures): the timeline's overview. */
export interface OverviewBins {
	x0: number;
	width: number;
	all: Int32Array;
	bad: Int32Array;
}

export function buildOverviewBins(
	x: Float64Array,
	isBad: (i: number) => boolean,
	xMin: number,
	xMax: number
): OverviewBins {
	const width = (Math.max(xMax - xMin, 1e-9) * (1 + 1e-9)) / FINE_BINS;
	const all = new Int32Array(FINE_BINS);
	const bad = new Int32Array(FINE_BINS);
	for (let i = 0; i < x.length; i++) {
		const xi = x[i];
		if (Number.isNaN(xi)) continue;
		const b = Math.min(FINE_BINS - 1, Math.max(0, Math.floor((xi - xMin) / width)));
		all[b]++;
		if (isBad(i)) bad[b]++;
	}
	return { x0: xMin, width, all, bad };
}
