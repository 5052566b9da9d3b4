// Canvas drawing and hit testing of the timeline. Only what is inside the window is looked at
// (binary search on x-sorted index arrays), and marks are binned per pixel column, so a frame costs
// O(visible events) with a flat ceiling of one mark per pixel, whatever the log size.
import { EVENT_KINDS } from '$lib/core/model';
import { CHROME, FLUSH_COLORS, KIND_COLORS, pick } from '../palette';
import {
	FLUSH_RANK,
	FLUSH_STATUSES,
	KIND_PRIORITY,
	type AnalysisView,
	type ViewBins
} from '$lib/worker/view';
import { formatClock, formatDate, zoneOffset } from '../format';
import {
	BIN_ABOVE,
	binsToColumns,
	buildPyramid,
	buildTraceBins,
	traceBinsToColumns,
	type Pyramid,
	type TraceBins
} from '$lib/worker/bins';

export const LABEL_W = 118;
const AXIS_H = 22;
/** Height of one file's row in the Files lane. */
const FILE_ROW_H = 13;
const OVERVIEW_H = 28;
const GAP = 6;
const MARK_W = 3;
/** Traces drawn one by one up to this many in the window; above, a density histogram. */
const TRACE_DETAIL_LIMIT = 3000;

export type LaneId = 'files' | 'flush' | 'agent' | 'span' | 'other';

export interface LaneBox {
	id: LaneId;
	label: string;
	y: number;
	h: number;
}

export interface Layout {
	width: number;
	height: number;
	plotX: number;
	plotW: number;
	axisY: number;
	lanes: LaneBox[];
	overview: { y: number; h: number };
}

export function layout(width: number, height: number, files: number): Layout {
	const lanes: LaneBox[] = [];
	let y = AXIS_H;
	if (files > 1) {
		const h = Math.min(3, files) * FILE_ROW_H;
		lanes.push({ id: 'files', label: 'Files', y, h });
		y += h + 2;
	}
	const fixed = 26 + 22 + 22 + 3 * 2;
	const spanH = Math.max(30, height - y - fixed - GAP - OVERVIEW_H - 4);
	lanes.push({ id: 'flush', label: 'Sends to Agent', y, h: 26 });
	y += 28;
	lanes.push({ id: 'agent', label: 'Agent errors', y, h: 22 });
	y += 24;
	lanes.push({ id: 'span', label: 'Spans by trace', y, h: spanH });
	y += spanH + 2;
	lanes.push({ id: 'other', label: 'Config & warnings', y, h: 22 });
	y += 22 + GAP;
	return {
		width,
		height,
		plotX: LABEL_W,
		plotW: Math.max(10, width - LABEL_W - 8),
		axisY: 0,
		lanes,
		overview: { y, h: Math.max(16, Math.min(OVERVIEW_H, height - y)) }
	};
}

export interface Frame {
	view: AnalysisView;
	mask: Uint8Array | null;
	selected: number;
	hovered: number;
	dark: boolean;
	v0: number;
	v1: number;
	fileNames: string[];
	/** The number shown for a line (a shared excerpt keeps its log's numbers). */
	lineNumber?: (file: number, line: number) => number;
}

/** What is under each pixel column of each lane after a draw, for hover and click. */
export interface HitMap {
	lanes: Map<LaneId, { event: Int32Array; count: Int32Array }>;
	/** Span rectangles (zoomed in) for exact hits. */
	spans: { x: number; y: number; w: number; h: number; event: number; span: number }[];
	/** Traces histogram mode: counts per column. */
	traceDensity: Int32Array | null;
}

const KIND_INDEX = Object.fromEntries(EVENT_KINDS.map((k, i) => [k, i])) as Record<string, number>;
const PRIORITY_BY_INDEX = EVENT_KINDS.map((k) => KIND_PRIORITY[k]);

/** First index in `order` whose key is >= x. */
function lowerBound(order: Int32Array, key: Float64Array, x: number): number {
	let lo = 0;
	let hi = order.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (key[order[mid]] < x) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

function toPx(l: Layout, f: Frame, x: number): number {
	return l.plotX + ((x - f.v0) / (f.v1 - f.v0)) * l.plotW;
}

export function fromPx(l: Layout, f: { v0: number; v1: number }, px: number): number {
	return f.v0 + ((px - l.plotX) / l.plotW) * (f.v1 - f.v0);
}

// ── axis ─────────────────────────────────────────────────────────────────────────────────────

const DAY = 86400e3;
const YEAR = 365.25 * DAY;
// up to a day, then 2 days, a week, two weeks, ~a month, ~a quarter, ~half a year, a year
const TIME_STEPS = [
	1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 10e3, 15e3, 30e3, 60e3, 120e3, 300e3, 600e3,
	900e3, 1800e3, 3600e3, 7200e3, 10800e3, 21600e3, 43200e3, 86400e3, 172800e3, 604800e3, 1209600e3,
	2592000e3, 7862400e3, 15724800e3, 31557600e3
];

/**
 * The tick step for at least `want` ms between labels. Past a year it grows as 1, 2, 5 × 10ⁿ years:
 * files written years apart (old logs pasted together) must not pile 200 labels into a smudge.
 */
function timeStep(want: number): number {
	const step = TIME_STEPS.find((s) => s >= want);
	if (step !== undefined) return step;
	const years = want / YEAR;
	const pow = Math.pow(10, Math.floor(Math.log10(years)));
	return ([1, 2, 5, 10].map((m) => m * pow).find((m) => m >= years) ?? 10 * pow) * YEAR;
}

export interface Tick {
	x: number;
	label: string;
}

export function ticks(
	view: AnalysisView,
	v0: number,
	v1: number,
	plotW: number,
	lineNumber?: (file: number, line: number) => number
): Tick[] {
	const out: Tick[] = [];
	const span = v1 - v0;
	if (!(span > 0)) return out;
	if (view.axis === 'time') {
		const want = (span / plotW) * 110;
		const step = timeStep(want);
		const off = zoneOffset(view.zone);
		let t = Math.ceil((v0 + off) / step) * step - off;
		const dayLabels = step >= DAY;
		const msLabels = step < 1000;
		for (let i = 0; t <= v1 && i < 200; t += step, i++) {
			out.push({
				x: t,
				label: dayLabels ? formatDate(t, view.zone) : formatClock(t, view.zone, msLabels)
			});
		}
	} else {
		const want = (span / plotW) * 80;
		const pow = Math.pow(10, Math.floor(Math.log10(Math.max(1, want))));
		const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= want) ?? 10 * pow;
		// lines count from 1: no "L0" at the left edge
		let x = Math.max(step === 1 ? 1 : step, Math.ceil(v0 / step) * step);
		for (let i = 0; x <= v1 && i < 200; x += step, i++) {
			out.push({ x, label: lineLabel(view, x, lineNumber) });
		}
	}
	return out;
}

/** A global line position as "L120" (or "name:120" when there are several files). */
export function lineLabel(
	view: AnalysisView,
	x: number,
	lineNumber?: (file: number, line: number) => number
): string {
	let f = 0;
	for (let i = 0; i < view.fileStart.length; i++) if (view.fileStart[i] <= x) f = i;
	const at = Math.round(x - view.fileStart[f]);
	const line = lineNumber && at >= 1 ? lineNumber(f, at) : at;
	return view.files.length > 1 ? `${f + 1}:L${line}` : `L${line}`;
}

// ── drawing ──────────────────────────────────────────────────────────────────────────────────

export function draw(ctx: CanvasRenderingContext2D, l: Layout, f: Frame, hit: HitMap): void {
	const chrome = pick(CHROME, f.dark);
	const kinds = pick(KIND_COLORS, f.dark);
	const flushColors = pick(FLUSH_COLORS, f.dark);
	const v = f.view;
	ctx.clearRect(0, 0, l.width, l.height);
	ctx.fillStyle = chrome.bg;
	ctx.fillRect(0, 0, l.width, l.height);
	ctx.font = '11px system-ui, sans-serif';
	ctx.textBaseline = 'middle';

	// lane backgrounds and labels
	for (const lane of l.lanes) {
		ctx.fillStyle = chrome.laneBg;
		ctx.fillRect(l.plotX, lane.y, l.plotW, lane.h);
		ctx.fillStyle = chrome.muted;
		ctx.textAlign = 'right';
		ctx.fillText(lane.label, l.plotX - 8, lane.y + Math.min(lane.h / 2, 11));
	}

	// grid and axis labels
	const tk = ticks(v, f.v0, f.v1, l.plotW, f.lineNumber);
	ctx.textAlign = 'center';
	const lanesBottom = l.lanes[l.lanes.length - 1].y + l.lanes[l.lanes.length - 1].h;
	for (const t of tk) {
		const px = Math.round(toPx(l, f, t.x)) + 0.5;
		ctx.strokeStyle = chrome.grid;
		ctx.lineWidth = 1;
		ctx.beginPath();
		ctx.moveTo(px, AXIS_H - 4);
		ctx.lineTo(px, lanesBottom);
		ctx.stroke();
		ctx.fillStyle = chrome.text;
		// kept whole inside the plot: a label at its left edge ran into the axis name
		const half = ctx.measureText(t.label).width / 2 + 2;
		ctx.fillText(
			t.label,
			Math.min(Math.max(px, l.plotX + half), l.plotX + l.plotW - half),
			AXIS_H / 2
		);
	}
	ctx.textAlign = 'right';
	ctx.fillStyle = chrome.muted;
	ctx.fillText(v.axis === 'time' ? 'time →' : 'line order →', l.plotX - 8, AXIS_H / 2);

	ctx.save();
	ctx.beginPath();
	ctx.rect(l.plotX, 0, l.plotW, l.height);
	ctx.clip();
	hit.lanes.clear();
	hit.spans = [];
	hit.traceDensity = null;
	// under the marks: a band where a log's middle is missing
	drawGaps(ctx, l, f, chrome, lanesBottom);
	for (const lane of l.lanes) {
		if (lane.id === 'files') drawFiles(ctx, l, f, lane, chrome);
		else if (lane.id === 'flush') drawFlushes(ctx, l, f, lane, flushColors, hit);
		else if (lane.id === 'agent' || lane.id === 'other')
			drawEvents(ctx, l, f, lane, v.laneEvents[lane.id], kinds, hit);
		else if (lane.id === 'span') drawSpans(ctx, l, f, lane, chrome, kinds, hit);
	}

	// the selected event
	if (f.selected >= 0 && f.selected < v.events.count) {
		const x = v.events.x[f.selected];
		if (!Number.isNaN(x)) {
			const px = Math.round(toPx(l, f, x)) + 0.5;
			ctx.strokeStyle = chrome.selected;
			ctx.lineWidth = 1;
			ctx.setLineDash([3, 3]);
			ctx.beginPath();
			ctx.moveTo(px, AXIS_H);
			ctx.lineTo(px, lanesBottom);
			ctx.stroke();
			ctx.setLineDash([]);
			ctx.fillStyle = chrome.selected;
			ctx.beginPath();
			ctx.moveTo(px - 5, AXIS_H - 1);
			ctx.lineTo(px + 5, AXIS_H - 1);
			ctx.lineTo(px, AXIS_H + 5);
			ctx.fill();
		}
	}
	ctx.restore();
}

/** Where a log continues after a missing middle: between the end of one file and the next. */
export interface Gap {
	file: number;
	x0: number;
	x1: number;
	text: string;
}

export function gaps(v: AnalysisView): Gap[] {
	const out: Gap[] = [];
	v.files.forEach((file, f) => {
		if (!file.gapBefore || f === 0) return;
		let x0: number;
		let x1: number;
		if (v.axis === 'line') {
			x0 = x1 = v.fileStart[f];
		} else {
			const before = v.fileRange[f - 1]?.[1];
			const after = v.fileRange[f]?.[0];
			x0 = Number.isNaN(before) ? after : before;
			x1 = Number.isNaN(after) ? before : after;
			if (x1 < x0) [x0, x1] = [x1, x0];
		}
		if (!Number.isNaN(x0) && !Number.isNaN(x1)) out.push({ file: f, x0, x1, text: file.gapBefore });
	});
	return out;
}

/** Minimum width of a gap band on screen. */
const GAP_MIN_PX = 8;

/** The on-screen band of a gap (at least GAP_MIN_PX wide). */
export function gapBand(l: Layout, f: { v0: number; v1: number }, g: Gap): [number, number] {
	const scale = l.plotW / (f.v1 - f.v0);
	let a = l.plotX + (g.x0 - f.v0) * scale;
	let b = l.plotX + (g.x1 - f.v0) * scale;
	if (b - a < GAP_MIN_PX) {
		const mid = (a + b) / 2;
		a = mid - GAP_MIN_PX / 2;
		b = mid + GAP_MIN_PX / 2;
	}
	return [a, b];
}

function drawGaps(
	ctx: CanvasRenderingContext2D,
	l: Layout,
	f: Frame,
	chrome: Record<keyof typeof CHROME, string>,
	bottom: number
) {
	for (const g of gaps(f.view)) {
		const [a, b] = gapBand(l, f, g);
		if (b < l.plotX || a > l.plotX + l.plotW) continue;
		const top = AXIS_H;
		ctx.save();
		ctx.beginPath();
		ctx.rect(a, top, b - a, bottom - top);
		ctx.clip();
		ctx.fillStyle = chrome.bg;
		ctx.fillRect(a, top, b - a, bottom - top);
		// diagonal hatching: "nothing is known here"
		ctx.strokeStyle = chrome.gap;
		ctx.globalAlpha = 0.55;
		ctx.lineWidth = 1;
		ctx.beginPath();
		for (let x = a - (bottom - top); x < b; x += 6) {
			ctx.moveTo(x, bottom);
			ctx.lineTo(x + (bottom - top), top);
		}
		ctx.stroke();
		ctx.restore();
		ctx.strokeStyle = chrome.gap;
		ctx.lineWidth = 1;
		for (const x of [Math.round(a) + 0.5, Math.round(b) - 0.5]) {
			ctx.beginPath();
			ctx.moveTo(x, top);
			ctx.lineTo(x, bottom);
			ctx.stroke();
		}
		ctx.fillStyle = chrome.gap;
		ctx.textAlign = 'center';
		ctx.font = 'bold 10px system-ui, sans-serif';
		ctx.fillText('gap', (a + b) / 2, top + 7);
		ctx.font = '11px system-ui, sans-serif';
	}
}

function drawFiles(
	ctx: CanvasRenderingContext2D,
	l: Layout,
	f: Frame,
	lane: LaneBox,
	chrome: Record<keyof typeof CHROME, string>
) {
	const v = f.view;
	ctx.textAlign = 'left';
	v.fileRange.forEach(([a, b], i) => {
		if (Number.isNaN(a)) return;
		const x0 = Math.max(l.plotX, toPx(l, f, a));
		const x1 = Math.min(l.plotX + l.plotW, Math.max(toPx(l, f, b), toPx(l, f, a) + 4));
		if (x1 < l.plotX || x0 > l.plotX + l.plotW) return;
		const h = lane.h / Math.max(1, v.fileRange.length);
		const y = lane.y + i * h;
		ctx.fillStyle = chrome.fileBar;
		ctx.fillRect(x0, y + 1, Math.max(2, x1 - x0), Math.max(2, h - 2));
		if (h >= 10 && x1 - x0 > 30) {
			ctx.fillStyle = chrome.text;
			ctx.font = '10px system-ui, sans-serif';
			ctx.fillText(`${i + 1}: ${f.fileNames[i] ?? ''}`, x0 + 3, y + h / 2, x1 - x0 - 6);
			ctx.font = '11px system-ui, sans-serif';
		}
	});
}

// Aggregates of a view (or of a view under one filter): built on the first zoomed-out frame
const aggregates = new WeakMap<object, Map<string, Pyramid | TraceBins>>();

function aggregate<T extends Pyramid | TraceBins>(
	f: Frame,
	key: keyof ViewBins,
	build: () => T
): T {
	// the worker counted the unfiltered bins of a big log already
	const made = f.mask ? undefined : f.view.bins?.[key];
	if (made) return made as T;
	const owner = f.mask ?? f.view;
	let map = aggregates.get(owner);
	if (!map) aggregates.set(owner, (map = new Map()));
	let a = map.get(key) as T | undefined;
	if (!a) map.set(key, (a = build()));
	return a;
}

/** Whether more than BIN_ABOVE items of `order` (sorted by key) lie in [a, b]. */
function crowded(order: Int32Array, key: Float64Array, a: number, b: number): boolean {
	if (order.length <= BIN_ABOVE) return false;
	return lowerBound(order, key, b + 1e-9) - lowerBound(order, key, a) > BIN_ABOVE;
}

function columns(l: Layout): { event: Int32Array; count: Int32Array; rank: Int32Array } {
	const n = Math.ceil(l.plotW) + 1;
	return {
		event: new Int32Array(n).fill(-1),
		count: new Int32Array(n),
		rank: new Int32Array(n).fill(1 << 30)
	};
}

function drawMarks(
	ctx: CanvasRenderingContext2D,
	l: Layout,
	lane: LaneBox,
	cols: { event: Int32Array; count: Int32Array },
	colorOf: (col: number) => string
) {
	let max = 1;
	for (let c = 0; c < cols.count.length; c++) if (cols.count[c] > max) max = cols.count[c];
	for (let c = 0; c < cols.count.length; c++) {
		const n = cols.count[c];
		if (!n) continue;
		// height grows with the number of events binned into the column (log scale)
		const h = lane.h - 4;
		const scaled = max > 1 ? 0.45 + (0.55 * Math.log(1 + n)) / Math.log(1 + max) : 1;
		const mh = Math.max(4, h * scaled);
		ctx.fillStyle = colorOf(c);
		ctx.fillRect(l.plotX + c - (MARK_W - 1) / 2, lane.y + 2 + (h - mh), MARK_W, mh);
	}
}

function drawFlushes(
	ctx: CanvasRenderingContext2D,
	l: Layout,
	f: Frame,
	lane: LaneBox,
	colors: Record<string, string>,
	hit: HitMap
) {
	const fl = f.view.flushes;
	const cols = columns(l);
	const n = cols.count.length;
	// per column and status, how many sends: a column holding many shows their mix
	const byStatus = FLUSH_STATUSES.map(() => new Int32Array(n));
	const pad = ((f.v1 - f.v0) / l.plotW) * MARK_W;
	const end = f.v1 + pad;
	const binned =
		crowded(fl.order, fl.x, f.v0 - pad, end) &&
		binsToColumns(
			aggregate(f, 'flush', () =>
				buildPyramid({
					order: fl.order,
					x: (i) => fl.x[i],
					rank: (i) => FLUSH_RANK[fl.status[i]],
					event: (i) => fl.event[i],
					include: f.mask ? (i) => fl.event[i] < 0 || !!f.mask![fl.event[i]] : undefined,
					status: { of: (i) => fl.status[i], count: FLUSH_STATUSES.length },
					xMin: f.view.xMin,
					xMax: f.view.xMax
				})
			),
			f.v0,
			f.v1,
			l.plotW,
			cols,
			byStatus
		);
	for (
		let k = binned ? fl.order.length : lowerBound(fl.order, fl.x, f.v0 - pad);
		k < fl.order.length;
		k++
	) {
		const i = fl.order[k];
		const x = fl.x[i];
		if (x > end) break;
		const ev = fl.event[i];
		if (f.mask && ev >= 0 && !f.mask[ev]) continue;
		const c = Math.round(((x - f.v0) / (f.v1 - f.v0)) * l.plotW);
		if (c < 0 || c >= n) continue;
		cols.count[c]++;
		byStatus[fl.status[i]][c]++;
		const rank = FLUSH_RANK[fl.status[i]];
		if (rank < cols.rank[c]) {
			cols.rank[c] = rank;
			cols.event[c] = ev;
		}
	}
	// failed on top, then unconfirmed, presumed, accepted at the bottom
	const stack = FLUSH_STATUSES.map((_, s) => s).sort((a, b) => FLUSH_RANK[b] - FLUSH_RANK[a]);
	const h = lane.h - 4;
	for (let c = 0; c < n; c++) {
		const total = cols.count[c];
		if (!total) continue;
		let y = lane.y + 2 + h;
		for (const s of stack) {
			const k = byStatus[s][c];
			if (!k) continue;
			// every status present keeps at least 3 px, so one failure among many is still seen
			const sh = Math.max(3, (h * k) / total);
			ctx.fillStyle = colors[FLUSH_STATUSES[s]];
			ctx.fillRect(l.plotX + c - (MARK_W - 1) / 2, Math.max(lane.y + 2, y - sh), MARK_W, sh);
			y -= sh;
		}
	}
	hit.lanes.set('flush', cols);
}

function drawEvents(
	ctx: CanvasRenderingContext2D,
	l: Layout,
	f: Frame,
	lane: LaneBox,
	order: Int32Array,
	kinds: Record<string, string>,
	hit: HitMap,
	band?: { y: number; h: number }
) {
	const ev = f.view.events;
	const cols = columns(l);
	const pad = ((f.v1 - f.v0) / l.plotW) * MARK_W;
	const end = f.v1 + pad;
	// millions of events zoomed out: read the pre-counted bins, not the events
	const binned =
		crowded(order, ev.x, f.v0 - pad, end) &&
		binsToColumns(
			aggregate(f, band ? 'span' : (lane.id as 'agent' | 'other'), () =>
				buildPyramid({
					order,
					x: (i) => ev.x[i],
					rank: (i) => PRIORITY_BY_INDEX[ev.kind[i]],
					event: (i) => i,
					include: f.mask ? (i) => !!f.mask![i] : undefined,
					xMin: f.view.xMin,
					xMax: f.view.xMax
				})
			),
			f.v0,
			f.v1,
			l.plotW,
			cols
		);
	for (let k = binned ? order.length : lowerBound(order, ev.x, f.v0 - pad); k < order.length; k++) {
		const i = order[k];
		const x = ev.x[i];
		if (x > end) break;
		if (f.mask && !f.mask[i]) continue;
		const c = Math.round(((x - f.v0) / (f.v1 - f.v0)) * l.plotW);
		if (c < 0 || c >= cols.count.length) continue;
		cols.count[c]++;
		const rank = PRIORITY_BY_INDEX[ev.kind[i]];
		if (rank < cols.rank[c]) {
			cols.rank[c] = rank;
			cols.event[c] = i;
		}
	}
	const box = band ? { ...lane, y: band.y, h: band.h } : lane;
	drawMarks(ctx, l, box, cols, (c) => kinds[EVENT_KINDS[ev.kind[cols.event[c]]]]);
	if (!band) hit.lanes.set(lane.id, cols);
	else hit.lanes.set('span', cols);
}

function drawSpans(
	ctx: CanvasRenderingContext2D,
	l: Layout,
	f: Frame,
	lane: LaneBox,
	chrome: Record<keyof typeof CHROME, string>,
	kinds: Record<string, string>,
	hit: HitMap
) {
	const v = f.view;
	const tr = v.traces;
	const sp = v.spans;
	const loose = v.laneEvents.span;
	const looseH = loose.length ? 6 : 0;
	const areaH = lane.h - looseH - (looseH ? 2 : 0);
	if (loose.length) {
		drawEvents(ctx, l, f, lane, loose, kinds, hit, { y: lane.y + areaH + 2, h: looseH + 2 });
	}
	if (tr.count === 0) {
		if (!loose.length) {
			ctx.fillStyle = chrome.muted;
			ctx.textAlign = 'left';
			ctx.fillText('no spans in this log', l.plotX + 8, lane.y + lane.h / 2);
		}
		return;
	}
	// traces overlapping the window: x0 <= v1 and x1 >= v0; x0 >= v0 - maxWidth bounds the search
	const first = lowerBound(tr.order, tr.x0, f.v0 - tr.maxWidth - 1e-9);
	if (crowded(tr.order, tr.x0, f.v0 - tr.maxWidth - 1e-9, f.v1)) {
		// hundreds of thousands of traces: their density comes from pre-counted bins
		const n = Math.ceil(l.plotW) + 1;
		const density = new Int32Array(n);
		const errors = new Int32Array(n);
		const tb = aggregate(f, 'traces', () =>
			buildTraceBins(
				tr.count,
				tr.x0,
				tr.x1,
				tr.error,
				f.mask ? (t) => traceVisible(v, f.mask!, t) : null,
				v.xMin,
				v.xMax
			)
		);
		if (traceBinsToColumns(tb, f.v0, f.v1, l.plotW, density, errors)) {
			drawDensity(ctx, l, lane, areaH, chrome, density, errors);
			hit.traceDensity = density;
			return;
		}
	}
	const visible: number[] = [];
	let over = false;
	for (let k = first; k < tr.order.length; k++) {
		const t = tr.order[k];
		if (tr.x0[t] > f.v1) break;
		if (tr.x1[t] < f.v0) continue;
		if (f.mask && !traceVisible(v, f.mask, t)) continue;
		visible.push(t);
		if (visible.length > TRACE_DETAIL_LIMIT) {
			over = true;
			break;
		}
	}
	const scale = l.plotW / (f.v1 - f.v0);
	if (over) {
		// density: how many traces cover each pixel column; errors on top in red
		const n = Math.ceil(l.plotW) + 1;
		const density = new Int32Array(n);
		const errors = new Int32Array(n);
		for (let k = first; k < tr.order.length; k++) {
			const t = tr.order[k];
			if (tr.x0[t] > f.v1) break;
			if (tr.x1[t] < f.v0) continue;
			if (f.mask && !traceVisible(v, f.mask, t)) continue;
			const c0 = Math.max(0, Math.floor((tr.x0[t] - f.v0) * scale));
			const c1 = Math.min(n - 1, Math.max(c0, Math.floor((tr.x1[t] - f.v0) * scale)));
			for (let c = c0; c <= c1; c++) {
				density[c]++;
				if (tr.error[t]) errors[c]++;
			}
		}
		drawDensity(ctx, l, lane, areaH, chrome, density, errors);
		hit.traceDensity = density;
		return;
	}
	// one bar per trace, packed on rows in pixel space; spans nested by depth when there is room.
	// On a line axis a trace has no width, so it gets one from the zoom and its spans are placed
	// inside by the times the tracer printed for them (a small waterfall).
	const lineAxis = v.axis === 'line';
	const traceW = lineAxis ? Math.min(220, Math.max(MARK_W, scale * 0.85)) : 0;
	const boxes = new Map<number, [number, number]>();
	for (const t of visible) {
		let px0 = l.plotX + (tr.x0[t] - f.v0) * scale;
		let px1 = Math.max(px0 + MARK_W, l.plotX + (tr.x1[t] - f.v0) * scale);
		if (lineAxis) {
			px0 -= traceW / 2;
			px1 = l.plotX + (tr.x1[t] - f.v0) * scale + traceW / 2;
		}
		boxes.set(t, [px0, px1]);
	}
	const rowEnd: number[] = [];
	const rowOf = new Map<number, number>();
	const maxRows = Math.max(1, Math.floor((areaH - 2) / 5));
	for (const t of visible) {
		const [px0, px1] = boxes.get(t)!;
		let row = rowEnd.findIndex((e) => e + 2 <= px0);
		if (row < 0) {
			if (rowEnd.length < maxRows) row = rowEnd.length;
			else row = rowEnd.indexOf(Math.min(...rowEnd));
		}
		rowEnd[row] = Math.max(rowEnd[row] ?? -Infinity, px1);
		rowOf.set(t, row);
	}
	const rows = Math.max(1, rowEnd.length);
	const rowH = Math.min(lineAxis ? areaH - 2 : 30, (areaH - 2) / rows);
	for (const t of visible) {
		const y = lane.y + 1 + rowOf.get(t)! * rowH;
		const a = tr.spanAt[t];
		const b = tr.spanAt[t + 1];
		let maxDepth = 0;
		for (let k = a; k < b; k++) maxDepth = Math.max(maxDepth, sp.depth[tr.spanList[k]]);
		const depthRows = Math.min(maxDepth + 1, Math.floor(rowH / 3));
		const [px0, px1] = boxes.get(t)!;
		const wide = px1 - px0 >= 24 && depthRows > 1;
		if (!wide) {
			ctx.fillStyle = tr.error[t] ? chrome.spanError : chrome.span;
			const w = Math.max(MARK_W, px1 - px0);
			ctx.fillRect(px0, y, w, rowH - 1);
			const root = a < b ? tr.spanList[a] : -1;
			if (root >= 0)
				hit.spans.push({ x: px0, y, w, h: rowH - 1, event: sp.event[root], span: root });
			continue;
		}
		// the trace's own time range, to place its spans inside the box
		let t0 = Infinity;
		let t1 = -Infinity;
		for (let k = a; k < b; k++) {
			const s = tr.spanList[k];
			const st = lineAxis ? sp.start[s] : sp.x0[s];
			const en = lineAxis ? sp.start[s] + (sp.duration[s] || 0) : sp.x1[s];
			if (st < t0) t0 = st;
			if (en > t1) t1 = en;
		}
		const timed = Number.isFinite(t0) && Number.isFinite(t1) && t1 > t0;
		const dh = (rowH - 1) / depthRows;
		if (lineAxis) {
			ctx.fillStyle = chrome.grid;
			ctx.fillRect(px0, y, px1 - px0, rowH - 1);
		}
		for (let k = a; k < b; k++) {
			const s = tr.spanList[k];
			const d = Math.min(sp.depth[s], depthRows - 1);
			let sx0 = px0;
			let w = px1 - px0;
			if (timed) {
				const st = lineAxis ? sp.start[s] : sp.x0[s];
				const en = lineAxis ? sp.start[s] + (sp.duration[s] || 0) : sp.x1[s];
				if (Number.isFinite(st)) {
					sx0 = px0 + ((st - t0) / (t1 - t0)) * (px1 - px0);
					w = Math.max(2, ((en - st) / (t1 - t0)) * (px1 - px0));
				}
			}
			if (sx0 > l.plotX + l.plotW || sx0 + w < l.plotX) continue;
			ctx.fillStyle = sp.error[s] ? chrome.spanError : chrome.span;
			ctx.globalAlpha = d === 0 ? 1 : 0.85 - Math.min(0.35, d * 0.08);
			ctx.fillRect(sx0, y + d * dh, w, Math.max(1.5, dh - 1));
			ctx.globalAlpha = 1;
			hit.spans.push({ x: sx0, y: y + d * dh, w, h: dh, event: sp.event[s], span: s });
		}
	}
}

/** How many traces cover each pixel column; errors on top in red. */
function drawDensity(
	ctx: CanvasRenderingContext2D,
	l: Layout,
	lane: LaneBox,
	areaH: number,
	chrome: Record<keyof typeof CHROME, string>,
	density: Int32Array,
	errors: Int32Array
) {
	const n = density.length;
	let max = 1;
	for (let c = 0; c < n; c++) if (density[c] > max) max = density[c];
	const lmax = Math.log(1 + max);
	for (let c = 0; c < n; c++) {
		if (!density[c]) continue;
		const h = Math.max(2, (areaH - 4) * (Math.log(1 + density[c]) / lmax));
		ctx.fillStyle = chrome.span;
		ctx.fillRect(l.plotX + c, lane.y + areaH - 2 - h, 1, h);
		if (errors[c]) {
			const eh = Math.max(2, h * (errors[c] / density[c]));
			ctx.fillStyle = chrome.spanError;
			ctx.fillRect(l.plotX + c, lane.y + areaH - 2 - eh, 1, eh);
		}
	}
}

function traceVisible(v: AnalysisView, mask: Uint8Array, t: number): boolean {
	const tr = v.traces;
	for (let k = tr.spanAt[t]; k < tr.spanAt[t + 1]; k++) {
		const e = v.spans.event[tr.spanList[k]];
		if (e >= 0 && mask[e]) return true;
	}
	return false;
}

// ── overview ─────────────────────────────────────────────────────────────────────────────────

export interface Overview {
	all: Float32Array;
	bad: Float32Array;
	x0: number;
	x1: number;
}

const BAD = new Set(['flush.error', 'agent.error'].map((k) => KIND_INDEX[k]));

/** Density of every event (and of failures) over the whole range, one bin per pixel column. */
export function overview(
	v: AnalysisView,
	mask: Uint8Array | null,
	bins: number,
	x0: number,
	x1: number
): Overview {
	const all = new Float32Array(bins);
	const bad = new Float32Array(bins);
	const ev = v.events;
	const scale = bins / (x1 - x0 || 1);
	const fine = v.bins?.overview;
	if (fine && !mask) {
		// a big log: the worker's fine bins, each added where its centre falls
		for (let k = 0; k < fine.all.length; k++) {
			if (!fine.all[k]) continue;
			const x = fine.x0 + (k + 0.5) * fine.width;
			const b = Math.min(bins - 1, Math.max(0, Math.floor((x - x0) * scale)));
			all[b] += fine.all[k];
			bad[b] += fine.bad[k];
		}
		return { all, bad, x0, x1 };
	}
	for (let i = 0; i < ev.count; i++) {
		if (mask && !mask[i]) continue;
		const x = ev.x[i];
		if (Number.isNaN(x)) continue;
		const b = Math.min(bins - 1, Math.max(0, Math.floor((x - x0) * scale)));
		all[b]++;
		if (BAD.has(ev.kind[i])) bad[b]++;
	}
	return { all, bad, x0, x1 };
}

export function drawOverview(
	ctx: CanvasRenderingContext2D,
	l: Layout,
	f: Frame,
	o: Overview
): void {
	const chrome = pick(CHROME, f.dark);
	const { y, h } = l.overview;
	ctx.fillStyle = chrome.laneBg;
	ctx.fillRect(l.plotX, y, l.plotW, h);
	ctx.fillStyle = chrome.muted;
	ctx.textAlign = 'right';
	ctx.textBaseline = 'middle';
	ctx.font = '11px system-ui, sans-serif';
	ctx.fillText('Whole log', l.plotX - 8, y + h / 2);
	let max = 1;
	for (const n of o.all) if (n > max) max = n;
	const lmax = Math.log(1 + max);
	const bw = l.plotW / o.all.length;
	for (let b = 0; b < o.all.length; b++) {
		if (!o.all[b]) continue;
		const bh = Math.max(1, (h - 4) * (Math.log(1 + o.all[b]) / lmax));
		ctx.fillStyle = chrome.muted;
		ctx.globalAlpha = 0.55;
		ctx.fillRect(l.plotX + b * bw, y + h - 2 - bh, Math.max(1, bw), bh);
		ctx.globalAlpha = 1;
		if (o.bad[b]) {
			// failures on top, as their share of the bin (never less than 3 px)
			const fh = Math.max(3, bh * (o.bad[b] / o.all[b]));
			ctx.fillStyle = pick(KIND_COLORS, f.dark)['flush.error'];
			ctx.fillRect(l.plotX + b * bw, y + h - 2 - bh, Math.max(1, bw), fh);
		}
	}
	// the window
	const wx0 = l.plotX + ((f.v0 - o.x0) / (o.x1 - o.x0)) * l.plotW;
	const wx1 = l.plotX + ((f.v1 - o.x0) / (o.x1 - o.x0)) * l.plotW;
	const a = Math.max(l.plotX, Math.min(wx0, l.plotX + l.plotW));
	const b = Math.max(l.plotX, Math.min(wx1, l.plotX + l.plotW));
	ctx.fillStyle = chrome.window;
	ctx.fillRect(a, y, Math.max(2, b - a), h);
	ctx.strokeStyle = chrome.windowEdge;
	ctx.lineWidth = 1;
	ctx.strokeRect(Math.round(a) + 0.5, y + 0.5, Math.max(2, Math.round(b - a) - 1), h - 1);
}

/** The event under (px, py), if any, with how many others share its pixel column. */
export function hitTest(
	l: Layout,
	hit: HitMap,
	px: number,
	py: number
): { event: number; count: number; lane: LaneId; span?: number } | null {
	const lane = l.lanes.find((b) => py >= b.y - 1 && py <= b.y + b.h + 1);
	if (!lane || px < l.plotX || px > l.plotX + l.plotW) return null;
	if (lane.id === 'span') {
		for (let k = hit.spans.length - 1; k >= 0; k--) {
			const s = hit.spans[k];
			if (px >= s.x - 2 && px <= s.x + s.w + 2 && py >= s.y - 1 && py <= s.y + s.h + 1)
				return { event: s.event, count: 1, lane: 'span', span: s.span };
		}
	}
	const cols = hit.lanes.get(lane.id);
	if (!cols) return null;
	const c = Math.round(px - l.plotX);
	for (let d = 0; d <= 4; d++) {
		for (const cc of d ? [c - d, c + d] : [c]) {
			if (cc >= 0 && cc < cols.event.length && cols.event[cc] >= 0)
				return { event: cols.event[cc], count: cols.count[cc], lane: lane.id };
		}
	}
	return null;
}
