// Assembly: spans grouped into traces, and each flush attempt paired with its outcome.
import {
	TRACER_IDS,
	type Analysis,
	type Flush,
	type LogEvent,
	type Trace,
	type TracerId
} from './model';

export function buildTraces(analysis: Analysis): Trace[] {
	const spans = analysis.spans;
	const byId = new Map<string, number>();
	const traces: Trace[] = [];
	// pass 1: each span's trace (consecutive spans usually share one trace id string: no lookup)
	const traceOf = new Int32Array(spans.length);
	const counts: number[] = [];
	let last = -1;
	for (let i = 0; i < spans.length; i++) {
		const span = spans[i];
		let t = last !== -1 && traces[last].traceId === span.traceId ? last : byId.get(span.traceId);
		const service = span.service;
		let trace: Trace;
		if (t === undefined) {
			t = traces.length;
			trace = {
				traceId: span.traceId,
				spans: [],
				services: service ? [service] : [],
				error: false,
				start: undefined,
				end: undefined,
				rootSpan: undefined
			};
			byId.set(span.traceId, t);
			traces.push(trace);
			counts.push(1);
		} else {
			trace = traces[t];
			counts[t]++;
			if (service && !trace.services.includes(service)) trace.services.push(service);
		}
		last = t;
		traceOf[i] = t;
		// the root: the first span with no parent (or parent 0)
		if (trace.rootSpan === undefined && (!span.parentId || isZeroId(span.parentId))) {
			trace.rootSpan = i;
		}
		if (span.error) trace.error = true;
		if (span.start !== undefined) {
			if (trace.start === undefined || span.start < trace.start) trace.start = span.start;
			const end = span.start + (span.duration ?? 0);
			if (trace.end === undefined || end > trace.end) trace.end = end;
		}
	}
	// pass 2: span lists of their exact length (a growing array keeps room for 17; a very long one
	// grows as usual: V8 makes a huge preallocated array a dictionary)
	for (let t = 0; t < traces.length; t++) {
		traces[t].spans = counts[t] <= 65536 ? new Array<number>(counts[t]) : [];
	}
	const filled = new Int32Array(traces.length);
	for (let i = 0; i < spans.length; i++) {
		const t = traceOf[i];
		traces[t].spans[filled[t]++] = i;
	}
	// no such root: the first span whose parent is not in the log (parents are looked up within
	// the trace only: the trace id is the same by construction)
	for (const trace of traces) {
		if (trace.rootSpan !== undefined) continue;
		const ids = trace.spans;
		const own = new Set<string>();
		for (const i of ids) own.add(spans[i].spanId);
		for (const i of ids) {
			if (!own.has(spans[i].parentId!)) {
				trace.rootSpan = i;
				break;
			}
		}
	}
	return traces;
}

function isZeroId(id: string): boolean {
	for (let i = 0; i < id.length; i++) if (id.charCodeAt(i) !== 48) return false;
	return true;
}

function numberField(e: LogEvent, key: string): number | undefined {
	const v = e.fields[key];
	return typeof v === 'number' ? v : undefined;
}

function stringField(e: LogEvent, key: string): string | undefined {
	const v = e.fields[key];
	return typeof v === 'string' ? v : undefined;
}

/** The tracer a flush event is tagged with, in a file that holds several. */
function tracerOf(e: LogEvent): TracerId | undefined {
	const t = e.fields.tracer;
	return typeof t === 'string' ? (t as TracerId) : undefined;
}

/**
 * Pairs attempts with outcomes per file and tracer, in log order: an outcome closes the oldest
 * open attempt (or the one named by its `attemptEvent` field). Attempts left open are
 * "unconfirmed", or "presumed" accepted for tracers that never log a success.
 */
export function pairFlushes(
	events: LogEvent[],
	logsSuccess: (file: number, tracer?: TracerId) => boolean
): Flush[] {
	const flushes: Flush[] = [];
	// open attempts per file and tracer, oldest first; `head` skips the ones already closed
	const open = new Map<number, { queue: Flush[]; head: number }>();
	for (const e of events) {
		if (e.kind !== 'flush.attempt' && e.kind !== 'flush.ok' && e.kind !== 'flush.error') continue;
		const tracer = tracerOf(e);
		const key = tracer
			? e.file * (TRACER_IDS.length + 1) + 1 + TRACER_IDS.indexOf(tracer)
			: e.file * (TRACER_IDS.length + 1);
		let pending = open.get(key);
		if (!pending) open.set(key, (pending = { queue: [], head: 0 }));
		const { queue } = pending;
		if (e.kind === 'flush.attempt') {
			const f: Flush = {
				status: 'unconfirmed',
				attempt: e.id,
				file: e.file,
				line: e.line,
				time: e.time,
				traces: numberField(e, 'traces'),
				spans: numberField(e, 'spans'),
				endpoint: stringField(e, 'endpoint')
			};
			if (tracer) f.tracer = tracer;
			flushes.push(f);
			queue.push(f);
			continue;
		}
		let f: Flush | undefined;
		const named = numberField(e, 'attemptEvent');
		if (named !== undefined) {
			const i = queue.findIndex((q, k) => k >= pending.head && q.attempt === named);
			if (i >= 0) {
				f = queue[i];
				queue.splice(i, 1);
			}
		}
		if (!f && pending.head < queue.length) f = queue[pending.head++];
		if (pending.head > 1024 && pending.head * 2 > queue.length) {
			queue.splice(0, pending.head);
			pending.head = 0;
		}
		if (!f) {
			f = { status: 'unconfirmed', file: e.file, line: e.line, time: e.time };
			if (tracer) f.tracer = tracer;
			flushes.push(f);
		}
		f.outcome = e.id;
		f.status = e.kind === 'flush.ok' ? 'ok' : 'failed';
		f.traces ??= numberField(e, 'traces');
		f.spans ??= numberField(e, 'spans');
		f.endpoint ??= stringField(e, 'endpoint');
		f.reason = stringField(e, 'reason');
		f.httpStatus = numberField(e, 'status');
		if (f.time === undefined) f.time = e.time;
	}
	for (const f of flushes) {
		if (f.status === 'unconfirmed' && f.attempt !== undefined && !logsSuccess(f.file, f.tracer)) {
			f.status = 'presumed';
		}
	}
	return flushes;
}
