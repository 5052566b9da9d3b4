// Assembly: spans grouped into traces, and each flush attempt paired with its outcome.
import type { Analysis, Flush, Trace } from './model';
import type { EventStore } from './store';

export function buildTraces(analysis: Analysis): Trace[] {
	const spans = analysis.spans;
	const n = spans.count;
	const traces: Trace[] = [];
	// spans carry interned trace ids: trace of an id by its index, no hashing
	const traceOfId = new Int32Array(spans.traceIds.list.length).fill(-1);
	// pass 1: each span's trace
	const traceOf = new Int32Array(n);
	const counts: number[] = [];
	for (let i = 0; i < n; i++) {
		const id = spans.trace[i];
		let t = traceOfId[id];
		const service = spans.services.get(spans.service[i]);
		let trace: Trace;
		if (t === -1) {
			t = traces.length;
			trace = {
				traceId: spans.traceIds.list[id],
				spans: [],
				services: service ? [service] : [],
				error: false,
				start: undefined,
				end: undefined,
				rootSpan: undefined
			};
			traceOfId[id] = t;
			traces.push(trace);
			counts.push(1);
		} else {
			trace = traces[t];
			counts[t]++;
			if (service && !trace.services.includes(service)) trace.services.push(service);
		}
		traceOf[i] = t;
		// the root: the first span with no parent (or parent 0)
		const parentId = spans.parentId[i];
		if (trace.rootSpan === undefined && (!parentId || isZeroId(parentId))) {
			trace.rootSpan = i;
		}
		if (spans.error[i] === 2) trace.error = true;
		const start = spans.start[i];
		if (!Number.isNaN(start)) {
			if (trace.start === undefined || start < trace.start) trace.start = start;
			const duration = spans.duration[i];
			const end = start + (Number.isNaN(duration) ? 0 : duration);
			if (trace.end === undefined || end > trace.end) trace.end = end;
		}
	}
	// pass 2: span lists of their exact length (a growing array keeps room for 17; a very long one
	// grows as usual: V8 makes a huge preallocated array a dictionary)
	for (let t = 0; t < traces.length; t++) {
		traces[t].spans = counts[t] <= 65536 ? new Array<number>(counts[t]) : [];
	}
	const filled = new Int32Array(traces.length);
	for (let i = 0; i < n; i++) {
		const t = traceOf[i];
		traces[t].spans[filled[t]++] = i;
	}
	// no such root: the first span whose parent is not in the log (parents are looked up within
	// the trace only: the trace id is the same by construction)
	for (const trace of traces) {
		if (trace.rootSpan !== undefined) continue;
		const ids = trace.spans;
		const own = new Set<string>();
		for (const i of ids) own.add(spans.spanId[i]);
		for (const i of ids) {
			if (!own.has(spans.parentId[i]!)) {
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

function numberField(events: EventStore, e: number, key: string): number | undefined {
	const v = events.field(e, key);
	return typeof v === 'number' ? v : undefined;
}

function stringField(events: EventStore, e: number, key: string): string | undefined {
	const v = events.field(e, key);
	return typeof v === 'string' ? v : undefined;
}

/**
 * Pairs attempts with outcomes per file, in log order: an outcome closes the oldest open attempt
 * (or the one named by its `attemptEvent` field). Attempts left open are "unconfirmed", or
 * "presumed" accepted for tracers that never log a success.
 */
export function pairFlushes(events: EventStore, logsSuccess: (file: number) => boolean): Flush[] {
	const flushes: Flush[] = [];
	// open attempts per file, oldest first; `head` skips the ones already closed
	const open = new Map<number, { queue: Flush[]; head: number }>();
	for (let e = 0; e < events.count; e++) {
		const kind = events.kindOf(e);
		if (kind !== 'flush.attempt' && kind !== 'flush.ok' && kind !== 'flush.error') continue;
		const file = events.file[e];
		let pending = open.get(file);
		if (!pending) open.set(file, (pending = { queue: [], head: 0 }));
		const { queue } = pending;
		if (kind === 'flush.attempt') {
			const f: Flush = {
				status: 'unconfirmed',
				attempt: e,
				file,
				line: events.line[e],
				time: events.timeOf(e),
				traces: numberField(events, e, 'traces'),
				spans: numberField(events, e, 'spans'),
				endpoint: stringField(events, e, 'endpoint')
			};
			flushes.push(f);
			queue.push(f);
			continue;
		}
		let f: Flush | undefined;
		const named = numberField(events, e, 'attemptEvent');
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
			f = { status: 'unconfirmed', file, line: events.line[e], time: events.timeOf(e) };
			flushes.push(f);
		}
		f.outcome = e;
		f.status = kind === 'flush.ok' ? 'ok' : 'failed';
		f.traces ??= numberField(events, e, 'traces');
		f.spans ??= numberField(events, e, 'spans');
		f.endpoint ??= stringField(events, e, 'endpoint');
		f.reason = stringField(events, e, 'reason');
		f.httpStatus = numberField(events, e, 'status');
		if (f.time === undefined) f.time = events.timeOf(e);
	}
	for (const f of flushes) {
		if (f.status === 'unconfirmed' && f.attempt !== undefined && !logsSuccess(f.file)) {
			f.status = 'presumed';
		}
	}
	return flushes;
}
