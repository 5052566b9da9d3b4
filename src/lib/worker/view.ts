// Turns an Analysis (which stays in the worker) into what the page needs to paint: flat typed
// arrays that cross the worker boundary by transfer, not by copy. A 300k-event log would cost the
// main thread hundreds of milliseconds to deserialise as objects; as columns it costs nothing.
import {
	EVENT_KINDS,
	type Analysis,
	type Counts,
	type EventKind,
	type FileSummary,
	type FlushStatus,
	type TracerInfo,
	type Verdict
} from '../core/model';
import { LEVELS } from '../core/store';
import {
	BIN_ABOVE,
	buildOverviewBins,
	buildPyramid,
	buildTraceBins,
	type OverviewBins,
	type Pyramid,
	type TraceBins
} from './bins';

export { LEVELS };
export const FLUSH_STATUSES: readonly FlushStatus[] = ['ok', 'failed', 'unconfirmed', 'presumed'];
/** Which send a timeline column shows when it holds several: failed, no answer, presumed, ok. */
export const FLUSH_RANK = FLUSH_STATUSES.map((s) =>
	s === 'failed' ? 0 : s === 'unconfirmed' ? 1 : s === 'presumed' ? 2 : 3
);

/** Where an event is drawn on the timeline. */
export const LANES = ['flush', 'agent', 'span', 'other'] as const;
export type Lane = (typeof LANES)[number];

export function laneOf(kind: EventKind): Lane {
	switch (kind) {
		case 'flush.attempt':
		case 'flush.ok':
		case 'flush.error':
			return 'flush';
		case 'agent.error':
			return 'agent';
		case 'span.start':
		case 'span.finish':
		case 'trace.complete':
			return 'span';
		default:
			return 'other';
	}
}

/** Which kind wins a line's gutter mark when several events share the line (lower wins). */
export const KIND_PRIORITY: Record<EventKind, number> = {
	'flush.error': 0,
	'agent.error': 1,
	'span.abandoned': 2,
	'log.other': 3,
	'flush.ok': 4,
	'flush.attempt': 5,
	'tracer.config': 6,
	sampling: 7,
	'integration.loaded': 8,
	'trace.complete': 9,
	'span.finish': 10,
	'span.start': 11
};

export interface EventColumns {
	count: number;
	/** Index into EVENT_KINDS. */
	kind: Uint8Array;
	file: Uint16Array;
	line: Int32Array;
	endLine: Int32Array;
	/** Epoch ms, NaN when the line has no time. */
	time: Float64Array;
	/** Position on the timeline axis (time, or global line number on a line-order axis). */
	x: Float64Array;
	/** Index into LEVELS. */
	level: Uint8Array;
	repeat: Uint32Array;
	/** Index into `services`, -1 when unknown. */
	service: Int32Array;
	/** Index into the trace columns, -1 when the event is not about a trace. */
	trace: Int32Array;
	/** Index into the span columns, -1 when the event reported no span. */
	span: Int32Array;
	/** Every summary, joined; event i is summaries.slice(summaryAt[i], summaryAt[i + 1]). */
	summaries: string;
	summaryAt: Uint32Array;
}

export interface SpanColumns {
	count: number;
	trace: Int32Array;
	/** Index of the parent span in the log, -1 for a root or an orphan. */
	parent: Int32Array;
	depth: Uint16Array;
	x0: Float64Array;
	x1: Float64Array;
	error: Uint8Array;
	event: Int32Array;
	/** Index into `names`. */
	name: Int32Array;
	service: Int32Array;
	/** Start as the tracer printed it (epoch ms), NaN when unknown; used for waterfalls on a line axis. */
	start: Float64Array;
	/** Duration in ms, NaN when unknown. */
	duration: Float64Array;
}

export interface TraceColumns {
	count: number;
	x0: Float64Array;
	x1: Float64Array;
	/** Packed row so that traces on one row do not overlap on the axis. */
	row: Uint16Array;
	rows: number;
	error: Uint8Array;
	/** Spans of trace t are spanList[spanAt[t] .. spanAt[t + 1]). */
	spanAt: Uint32Array;
	spanList: Int32Array;
	/** Trace ids joined, like summaries. */
	ids: string;
	idAt: Uint32Array;
	/** Traces sorted by x0. */
	order: Int32Array;
	/** Largest x1 - x0, to bound the search for traces overlapping a window. */
	maxWidth: number;
}

export interface FlushColumns {
	count: number;
	/** Index into FLUSH_STATUSES. */
	status: Uint8Array;
	x: Float64Array;
	/** The event a click selects: the outcome, else the attempt. */
	event: Int32Array;
	/** Flushes sorted by x. */
	order: Int32Array;
}

export interface AnalysisView {
	job: number;
	tracer: Analysis['tracer'];
	tracerVersion?: string;
	files: FileSummary[];
	counts: Counts;
	flushSummary: { attempts: number; ok: number; failed: number; unconfirmed: number };
	config: Record<string, string>;
	info: TracerInfo;
	verdict: Verdict;
	axis: 'time' | 'line';
	/** Zone of the log times ("local" when they carry none). */
	zone?: string;
	xMin: number;
	xMax: number;
	/** On a line-order axis, file f's line n sits at fileStart[f] + n. */
	fileStart: number[];
	/** Per file, the x range its events cover (NaN when it has none). */
	fileRange: [number, number][];
	events: EventColumns;
	spans: SpanColumns;
	traces: TraceColumns;
	flushes: FlushColumns;
	/** Per lane, event ids sorted by x ('span' lists span events with no span object). */
	laneEvents: Record<'agent' | 'other' | 'span', Int32Array>;
	names: string[];
	services: string[];
	/** Levels that occur, for the filter menu. */
	levels: string[];
	/** Per file, for each line the event that owns it (-1: none); index 0 unused. */
	lineEvent: Int32Array[];
	/** Per file, for each line 1 + the EVENT_KINDS index of its gutter mark (0: none). */
	lineKind: Uint8Array[];
	/** Milliseconds the worker spent. */
	elapsed: number;
	/** What happened to the inputs as a whole (archives unpacked, entries skipped). */
	notes: string[];
	/** For each file, the index of the input it came from (a zip gives several files). */
	origin: number[];
	/** For each file unpacked from an archive, its text as a Blob (null: the input itself). */
	entries: (Blob | null)[];
	/** Timeline lanes of a big log counted into bins (absent when a lane is small). */
	bins?: ViewBins;
}

/** Pre-counted timeline lanes (see bins.ts), by lane: 'span' are the span events with no span. */
export interface ViewBins {
	flush?: Pyramid;
	agent?: Pyramid;
	other?: Pyramid;
	span?: Pyramid;
	traces?: TraceBins;
	/** Every event, for the overview strip. */
	overview?: OverviewBins;
}

class Interner {
	readonly list: string[] = [];
	private readonly map = new Map<string, number>();
	id(s: string | undefined | null): number {
		if (s === undefined || s === null || s === '') return -1;
		let i = this.map.get(s);
		if (i === undefined) {
			i = this.list.length;
			this.list.push(s);
			this.map.set(s, i);
		}
		return i;
	}
}

function joinStrings(n: number, get: (i: number) => string): { text: string; at: Uint32Array } {
	const at = new Uint32Array(n + 1);
	const parts: string[] = new Array(n);
	let len = 0;
	for (let i = 0; i < n; i++) {
		const s = get(i);
		parts[i] = s;
		at[i] = len;
		len += s.length;
	}
	at[n] = len;
	return { text: parts.join(''), at };
}

function fieldString(field: (key: string) => unknown, ...keys: string[]): string | undefined {
	for (const k of keys) {
		const v = field(k);
		if (typeof v === 'string' && v) return v;
		if (typeof v === 'number') return String(v);
	}
	return undefined;
}

function sortedBy(n: number, key: (i: number) => number, include?: (i: number) => boolean) {
	const ids: number[] = [];
	for (let i = 0; i < n; i++) if (!include || include(i)) ids.push(i);
	ids.sort((a, b) => key(a) - key(b) || a - b);
	return Int32Array.from(ids);
}

/**
 * Builds the view of an analysis. Its event columns `kind`, `file`, `line`, `time` and `level` are
 * the analysis's own (copy the event columns before transferring them); every other column is new.
 */
export function buildView(a: Analysis, job: number, started: number): AnalysisView {
	const events = a.events;
	const spans = a.spans;
	const nEvents = events.count;
	const nFiles = a.files.length;

	// the axis: times when every file that has events has times, else line order
	const filesWithEvents = new Set<number>();
	for (let i = 0; i < nEvents; i++) filesWithEvents.add(events.file[i]);
	const timed =
		filesWithEvents.size > 0 && [...filesWithEvents].every((f) => a.files[f]?.hasTimes === true);
	const axis: 'time' | 'line' = timed ? 'time' : 'line';
	const fileStart: number[] = [];
	let lineTotal = 0;
	for (let f = 0; f < nFiles; f++) {
		fileStart.push(lineTotal);
		lineTotal += (a.files[f].lines || 0) + 1;
	}
	const zone = events.firstZone();

	const services = new Interner();
	const names = new Interner();
	const levelSet = new Set<string>();

	// event → span, trace id → trace index
	const spanOfEvent = new Int32Array(nEvents).fill(-1);
	for (let i = 0; i < spans.count; i++) {
		const e = spans.event[i];
		if (e >= 0 && e < nEvents && spanOfEvent[e] === -1) spanOfEvent[e] = i;
	}
	const traceIndex = new Map<string, number>();
	const traces = a.traces;
	for (let t = 0; t < traces.count; t++) traceIndex.set(traces.traceIdOf(t), t);
	const traceOfSpan = new Int32Array(spans.count).fill(-1);
	for (let t = 0; t < traces.count; t++) {
		for (let j = traces.spanAt[t]; j < traces.spanAt[t + 1]; j++)
			traceOfSpan[traces.spanList[j]] = t;
	}

	const ev: EventColumns = {
		count: nEvents,
		kind: events.kind,
		file: events.file,
		line: events.line,
		endLine: new Int32Array(nEvents),
		time: events.time,
		x: new Float64Array(nEvents),
		level: events.level,
		repeat: new Uint32Array(nEvents),
		service: new Int32Array(nEvents),
		trace: new Int32Array(nEvents),
		span: new Int32Array(nEvents),
		summaries: '',
		summaryAt: new Uint32Array(1)
	};
	const kindIndex = new Map<string, number>(EVENT_KINDS.map((k, i) => [k, i]));
	const levelSeen = new Uint8Array(LEVELS.length);
	for (let i = 0; i < nEvents; i++) {
		ev.endLine[i] = Math.max(ev.line[i], events.endLine[i]);
		levelSeen[ev.level[i]] = 1;
		ev.repeat[i] = events.repeatOf(i) ?? 0;
		const si = spanOfEvent[i];
		ev.span[i] = si;
		const field = (key: string) => events.field(i, key);
		const service = si >= 0 ? spans.services.get(spans.service[si]) : undefined;
		ev.service[i] = services.id(service ?? fieldString(field, 'service'));
		if (si >= 0) ev.trace[i] = traceOfSpan[si];
		else {
			const tid = fieldString(field, 'traceId', 'trace_id');
			ev.trace[i] = tid !== undefined ? (traceIndex.get(tid) ?? -1) : -1;
		}
	}
	LEVELS.forEach((l, i) => {
		if (l && levelSeen[i]) levelSet.add(l);
	});
	const joined = joinStrings(nEvents, (i) => events.summary.get(i) ?? '');
	ev.summaries = joined.text;
	ev.summaryAt = joined.at;

	// x positions: time (carried forward within a file for lines with none), or global line
	if (axis === 'time') {
		const last = new Float64Array(nFiles).fill(NaN);
		const firstTime = new Float64Array(nFiles).fill(NaN);
		for (let i = 0; i < nEvents; i++) {
			const f = ev.file[i];
			if (!Number.isNaN(ev.time[i]) && Number.isNaN(firstTime[f])) firstTime[f] = ev.time[i];
		}
		for (let i = 0; i < nEvents; i++) {
			const f = ev.file[i];
			const t = ev.time[i];
			if (!Number.isNaN(t)) last[f] = t;
			ev.x[i] = Number.isNaN(last[f]) ? firstTime[f] : last[f];
		}
	} else {
		for (let i = 0; i < nEvents; i++) ev.x[i] = fileStart[ev.file[i]] + ev.line[i];
	}

	// spans
	const nSpans = spans.count;
	const sp: SpanColumns = {
		count: nSpans,
		trace: traceOfSpan,
		parent: new Int32Array(nSpans).fill(-1),
		depth: new Uint16Array(nSpans),
		x0: new Float64Array(nSpans),
		x1: new Float64Array(nSpans),
		error: new Uint8Array(nSpans),
		// copies: the view's columns are transferred to the page, the analysis keeps its own
		event: spans.event.slice(),
		name: new Int32Array(nSpans),
		service: new Int32Array(nSpans),
		start: spans.start.slice(),
		duration: spans.duration.slice()
	};
	for (let i = 0; i < nSpans; i++) {
		const e = spans.event[i];
		const evx = e >= 0 && e < nEvents ? ev.x[e] : NaN;
		let x0 = evx;
		let x1 = evx;
		const start = spans.start[i];
		if (axis === 'time' && !Number.isNaN(start)) {
			const duration = spans.duration[i];
			x0 = start;
			x1 = start + (Number.isNaN(duration) ? 0 : duration);
		}
		sp.x0[i] = x0;
		sp.x1[i] = x1;
		sp.error[i] = spans.error[i] === 2 ? 1 : 0;
		sp.name[i] = names.id(spans.names.get(spans.name[i]) ?? spans.resources.get(spans.resource[i]));
		sp.service[i] = services.id(spans.services.get(spans.service[i]));
	}
	// a parent is looked up within its trace: one small map of span ids at a time, not one key
	// string per span for the whole log
	for (let t = 0; t < traces.count; t++) {
		const byId = new Map<string, number>();
		for (let j = traces.spanAt[t]; j < traces.spanAt[t + 1]; j++) {
			byId.set(spans.spanId.get(traces.spanList[j]), traces.spanList[j]);
		}
		for (let j = traces.spanAt[t]; j < traces.spanAt[t + 1]; j++) {
			const i = traces.spanList[j];
			const parentId = spans.parentId.get(i);
			if (parentId && !/^0+$/.test(parentId)) sp.parent[i] = byId.get(parentId) ?? -1;
		}
	}
	for (let i = 0; i < nSpans; i++) {
		let d = 0;
		let p = sp.parent[i];
		while (p >= 0 && d < 64) {
			d++;
			p = sp.parent[p];
		}
		sp.depth[i] = d;
	}

	// traces: x range, packed rows, span lists
	const nTraces = traces.count;
	const tr: TraceColumns = {
		count: nTraces,
		x0: new Float64Array(nTraces),
		x1: new Float64Array(nTraces),
		row: new Uint16Array(nTraces),
		rows: 0,
		error: new Uint8Array(nTraces),
		spanAt: new Uint32Array(nTraces + 1),
		spanList: new Int32Array(0),
		ids: '',
		idAt: new Uint32Array(1),
		order: new Int32Array(0),
		maxWidth: 0
	};
	tr.spanAt = traces.spanAt.slice();
	for (let t = 0; t < nTraces; t++) {
		let x0 = Infinity;
		let x1 = -Infinity;
		for (let j = traces.spanAt[t]; j < traces.spanAt[t + 1]; j++) {
			const s = traces.spanList[j];
			if (!Number.isNaN(sp.x0[s])) x0 = Math.min(x0, sp.x0[s]);
			if (!Number.isNaN(sp.x1[s])) x1 = Math.max(x1, sp.x1[s]);
		}
		tr.x0[t] = Number.isFinite(x0) ? x0 : NaN;
		tr.x1[t] = Number.isFinite(x1) ? x1 : NaN;
		tr.error[t] = traces.error[t];
		if (Number.isFinite(x0) && Number.isFinite(x1)) tr.maxWidth = Math.max(tr.maxWidth, x1 - x0);
	}
	tr.spanList = traces.spanList.slice();
	for (let t = 0; t < nTraces; t++) {
		// parents before children, then by start
		tr.spanList
			.subarray(tr.spanAt[t], tr.spanAt[t + 1])
			.sort((p, q) => sp.depth[p] - sp.depth[q] || sp.x0[p] - sp.x0[q]);
	}
	const tIds = joinStrings(nTraces, (t) => traces.traceIdOf(t));
	tr.ids = tIds.text;
	tr.idAt = tIds.at;
	tr.order = sortedBy(
		nTraces,
		(t) => tr.x0[t],
		(t) => !Number.isNaN(tr.x0[t])
	);
	// greedy interval packing onto a few rows; a trace that fits nowhere shares the row that frees first
	const MAX_ROWS = 6;
	const rowEnd: number[] = [];
	for (const t of tr.order) {
		let row = rowEnd.findIndex((end) => end < tr.x0[t]);
		if (row < 0) {
			if (rowEnd.length < MAX_ROWS) row = rowEnd.length;
			else row = rowEnd.indexOf(Math.min(...rowEnd));
		}
		rowEnd[row] = Math.max(rowEnd[row] ?? -Infinity, tr.x1[t]);
		tr.row[t] = row;
	}
	tr.rows = rowEnd.length;

	// flushes
	const list = a.flushes.list;
	const fl: FlushColumns = {
		count: list.length,
		status: new Uint8Array(list.length),
		x: new Float64Array(list.length),
		event: new Int32Array(list.length),
		order: new Int32Array(0)
	};
	list.forEach((f, i) => {
		fl.status[i] = Math.max(0, FLUSH_STATUSES.indexOf(f.status));
		// drawn where its outcome is known (the attempt when there is none); a click selects that line
		const shown = f.outcome ?? f.attempt ?? -1;
		fl.event[i] = shown;
		fl.x[i] = shown >= 0 && shown < nEvents ? ev.x[shown] : NaN;
	});
	fl.order = sortedBy(
		list.length,
		(i) => fl.x[i],
		(i) => !Number.isNaN(fl.x[i])
	);

	// lanes of single events
	const hasX = (i: number) => !Number.isNaN(ev.x[i]);
	const laneEvents = {
		agent: sortedBy(
			nEvents,
			(i) => ev.x[i],
			(i) => hasX(i) && EVENT_KINDS[ev.kind[i]] === 'agent.error'
		),
		other: sortedBy(
			nEvents,
			(i) => ev.x[i],
			(i) => hasX(i) && laneOf(EVENT_KINDS[ev.kind[i]]) === 'other'
		),
		span: sortedBy(
			nEvents,
			(i) => ev.x[i],
			(i) => hasX(i) && laneOf(EVENT_KINDS[ev.kind[i]]) === 'span' && ev.span[i] < 0
		)
	};

	// x extent
	let xMin = Infinity;
	let xMax = -Infinity;
	const fileRange: [number, number][] = a.files.map(() => [NaN, NaN]);
	for (let i = 0; i < nEvents; i++) {
		const x = ev.x[i];
		if (Number.isNaN(x)) continue;
		if (x < xMin) xMin = x;
		if (x > xMax) xMax = x;
		const r = fileRange[ev.file[i]];
		if (!(r[0] <= x)) r[0] = x;
		if (!(r[1] >= x)) r[1] = x;
	}
	for (let i = 0; i < nSpans; i++) {
		if (sp.x0[i] < xMin) xMin = sp.x0[i];
		if (sp.x1[i] > xMax) xMax = sp.x1[i];
	}
	if (!Number.isFinite(xMin)) {
		xMin = 0;
		xMax = axis === 'line' ? Math.max(1, lineTotal) : 1;
	}

	// per-line lookups for the editor
	const lineEvent: Int32Array[] = [];
	const lineKind: Uint8Array[] = [];
	for (let f = 0; f < nFiles; f++) {
		const n = (a.files[f].lines || 0) + 2;
		lineEvent.push(new Int32Array(n).fill(-1));
		lineKind.push(new Uint8Array(n));
	}
	for (let i = 0; i < nEvents; i++) {
		const f = ev.file[i];
		const le = lineEvent[f];
		const lk = lineKind[f];
		if (!le) continue;
		const kind = EVENT_KINDS[ev.kind[i]];
		const first = ev.line[i];
		const last = Math.min(ev.endLine[i], le.length - 1);
		for (let l = first; l <= last; l++) {
			const cur = le[l];
			if (cur < 0 || KIND_PRIORITY[kind] < KIND_PRIORITY[EVENT_KINDS[ev.kind[cur]]]) {
				le[l] = i;
				// the mark sits on the first line of an event only
				if (l === first) lk[l] = ev.kind[i] + 1;
			}
		}
	}

	// big lanes counted into bins here, so the page never walks millions of events to draw
	const bins: ViewBins = {};
	if (fl.order.length > BIN_ABOVE) {
		bins.flush = buildPyramid({
			order: fl.order,
			x: (i) => fl.x[i],
			rank: (i) => FLUSH_RANK[fl.status[i]],
			event: (i) => fl.event[i],
			status: { of: (i) => fl.status[i], count: FLUSH_STATUSES.length },
			xMin,
			xMax
		});
	}
	for (const lane of ['agent', 'other', 'span'] as const) {
		const order = laneEvents[lane];
		if (order.length <= BIN_ABOVE) continue;
		bins[lane] = buildPyramid({
			order,
			x: (i) => ev.x[i],
			rank: (i) => KIND_PRIORITY[EVENT_KINDS[ev.kind[i]]],
			event: (i) => i,
			xMin,
			xMax
		});
	}
	if (tr.order.length > BIN_ABOVE)
		bins.traces = buildTraceBins(tr.count, tr.x0, tr.x1, tr.error, null, xMin, xMax);
	if (nEvents > BIN_ABOVE) {
		const bad = new Set(['flush.error', 'agent.error'].map((k) => kindIndex.get(k)));
		bins.overview = buildOverviewBins(ev.x, (i) => bad.has(ev.kind[i]), xMin, xMax);
	}

	return {
		job,
		tracer: a.tracer,
		tracerVersion: a.tracerVersion,
		files: a.files,
		counts: a.counts,
		flushSummary: {
			attempts: a.flushes.attempts,
			ok: a.flushes.ok,
			failed: a.flushes.failed,
			unconfirmed: a.flushes.unconfirmed
		},
		config: a.config,
		info: a.info,
		verdict: a.verdict,
		axis,
		zone,
		xMin,
		xMax,
		fileStart,
		fileRange,
		events: ev,
		spans: sp,
		traces: tr,
		flushes: fl,
		laneEvents,
		names: names.list,
		services: services.list,
		levels: LEVELS.filter((l) => l && levelSet.has(l)) as string[],
		lineEvent,
		lineKind,
		elapsed: performance.now() - started,
		notes: a.notes ?? [],
		origin: a.files.map((_, f) => f),
		entries: a.files.map(() => null),
		bins
	};
}

/** Every ArrayBuffer of a view, for Comlink.transfer. */
export function transferables(v: AnalysisView): ArrayBuffer[] {
	const out = new Set<ArrayBuffer>();
	const add = (o: object) => {
		for (const value of Object.values(o)) {
			if (ArrayBuffer.isView(value)) out.add(value.buffer as ArrayBuffer);
		}
	};
	add(v.events);
	add(v.spans);
	add(v.traces);
	add(v.flushes);
	add(v.laneEvents);
	for (const a of v.lineEvent) out.add(a.buffer as ArrayBuffer);
	for (const p of [v.bins?.flush, v.bins?.agent, v.bins?.other, v.bins?.span]) {
		if (!p) continue;
		for (const list of [p.count, p.event, p.rank, ...(p.status ?? [])])
			for (const a of list) out.add(a.buffer as ArrayBuffer);
	}
	if (v.bins?.overview) {
		out.add(v.bins.overview.all.buffer as ArrayBuffer);
		out.add(v.bins.overview.bad.buffer as ArrayBuffer);
	}
	const tb = v.bins?.traces;
	if (tb)
		for (const a of [tb.cover, tb.errorCover, tb.startsBefore, tb.errorStartsBefore])
			out.add(a.buffer as ArrayBuffer);
	for (const a of v.lineKind) out.add(a.buffer as ArrayBuffer);
	return [...out];
}

/** A filter chip: include chips of one field are OR'ed, fields are AND'ed, `not` chips remove. */
export interface FilterChip {
	field: 'kind' | 'level' | 'service' | 'trace' | 'text' | 'file' | 'tracer';
	value: string;
	not?: boolean;
}

/** Event ids that pass the chips, in log order (file, then line). */
export function filterEvents(
	a: Analysis,
	v: AnalysisView,
	chips: FilterChip[],
	traceIdOf: (t: number) => string
): Int32Array {
	const ev = v.events;
	const byField = new Map<string, FilterChip[]>();
	for (const c of chips) {
		const list = byField.get(c.field) ?? [];
		list.push(c);
		byField.set(c.field, list);
	}
	const tests: ((i: number) => boolean)[] = [];
	for (const [field, list] of byField) {
		const match = (c: FilterChip, i: number): boolean => {
			switch (field) {
				case 'kind':
					return EVENT_KINDS[ev.kind[i]] === c.value;
				case 'level':
					return LEVELS[ev.level[i]] === c.value;
				case 'service':
					return ev.service[i] >= 0 && v.services[ev.service[i]] === c.value;
				case 'file':
					return a.files[ev.file[i]]?.name === c.value;
				case 'tracer':
					return a.events.tracerOf(i) === c.value;
				case 'trace': {
					const t = ev.trace[i];
					if (t >= 0 && traceIdOf(t).toLowerCase().includes(c.value.toLowerCase())) return true;
					const id = a.events.field(i, 'traceId') ?? a.events.field(i, 'trace_id');
					return typeof id === 'string' && id.toLowerCase().includes(c.value.toLowerCase());
				}
				case 'text': {
					const needle = c.value.toLowerCase();
					if (a.events.summary.get(i).toLowerCase().includes(needle)) return true;
					for (const value of Object.values(a.events.fields(i))) {
						if (value !== null && String(value).toLowerCase().includes(needle)) return true;
					}
					return false;
				}
			}
			return false;
		};
		const includes = list.filter((c) => !c.not);
		const excludes = list.filter((c) => c.not);
		tests.push(
			(i) =>
				(includes.length === 0 || includes.some((c) => match(c, i))) &&
				!excludes.some((c) => match(c, i))
		);
	}
	const out: number[] = [];
	for (let i = 0; i < ev.count; i++) {
		let ok = true;
		for (const t of tests) {
			if (!t(i)) {
				ok = false;
				break;
			}
		}
		if (ok) out.push(i);
	}
	// several files: one time line when the log has times, else file by file in line order
	if (v.files.length > 1) {
		if (v.axis === 'time')
			out.sort((p, q) => ev.x[p] - ev.x[q] || ev.file[p] - ev.file[q] || p - q);
		else out.sort((p, q) => ev.file[p] - ev.file[q] || ev.line[p] - ev.line[q] || p - q);
	}
	return Int32Array.from(out);
}
