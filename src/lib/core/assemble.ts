// Assembly: spans grouped into traces, and each flush attempt paired with its outcome.
import { TRACER_IDS, type Analysis, type Flush, type TracerId } from './model';
import { TraceStore, type EventStore } from './store';

export function buildTraces(analysis: Analysis): TraceStore {
	const spans = analysis.spans;
	const n = spans.count;
	const out = new TraceStore();
	out.ids = spans.traceIds.list;
	out.services = spans.services.list;
	// there are at most as many traces as trace ids: columns of that size, cut at the end
	const nIds = spans.traceIds.list.length;
	const id = new Int32Array(nIds);
	const size = new Uint32Array(nIds);
	const root = new Int32Array(nIds).fill(-1);
	const start = new Float64Array(nIds).fill(NaN);
	const end = new Float64Array(nIds).fill(NaN);
	const error = new Uint8Array(nIds);
	// spans carry interned trace ids: the trace of an id by its index, no hashing
	const traceOfId = new Int32Array(nIds).fill(-1);
	const traceOf = new Int32Array(n);
	let count = 0;
	// pass 1: each span's trace, in order of first appearance
	for (let i = 0; i < n; i++) {
		let t = traceOfId[spans.trace[i]];
		if (t === -1) {
			t = traceOfId[spans.trace[i]] = count++;
			id[t] = spans.trace[i];
		}
		size[t]++;
		traceOf[i] = t;
		// the root: the first span with no parent (or parent 0)
		const parentId = spans.parentId.get(i);
		if (root[t] === -1 && (!parentId || isZeroId(parentId))) root[t] = i;
		if (spans.error[i] === 2) error[t] = 1;
		const s = spans.start[i];
		if (!Number.isNaN(s)) {
			if (!(start[t] <= s)) start[t] = s;
			const duration = spans.duration[i];
			const e = s + (Number.isNaN(duration) ? 0 : duration);
			if (!(end[t] >= e)) end[t] = e;
		}
	}
	// pass 2: span lists, trace by trace
	const spanAt = new Uint32Array(count + 1);
	for (let t = 0; t < count; t++) spanAt[t + 1] = spanAt[t] + size[t];
	const spanList = new Int32Array(n);
	const filled = spanAt.slice(0, count);
	for (let i = 0; i < n; i++) spanList[filled[traceOf[i]]++] = i;
	// pass 3: services in order of appearance; a root for traces with none: the first span whose
	// parent is not in the log (parents are looked up within the trace: the id is the same)
	const serviceAt = new Uint32Array(count + 1);
	const serviceList = new Int32Array(n);
	let k = 0;
	for (let t = 0; t < count; t++) {
		serviceAt[t] = k;
		for (let j = spanAt[t]; j < spanAt[t + 1]; j++) {
			const service = spans.service[spanList[j]];
			if (service < 0 || out.services[service] === '') continue;
			let seen = false;
			for (let q = serviceAt[t]; q < k && !seen; q++) seen = serviceList[q] === service;
			if (!seen) serviceList[k++] = service;
		}
		if (root[t] !== -1) continue;
		const own = new Set<string>();
		for (let j = spanAt[t]; j < spanAt[t + 1]; j++) own.add(spans.spanId.get(spanList[j]));
		for (let j = spanAt[t]; j < spanAt[t + 1]; j++) {
			if (!own.has(spans.parentId.get(spanList[j])!)) {
				root[t] = spanList[j];
				break;
			}
		}
	}
	serviceAt[count] = k;
	out.count = count;
	out.id = id.slice(0, count);
	out.rootSpan = root.slice(0, count);
	out.start = start.slice(0, count);
	out.end = end.slice(0, count);
	out.error = error.slice(0, count);
	out.spanAt = spanAt;
	out.spanList = spanList;
	out.serviceAt = serviceAt;
	out.serviceList = serviceList.slice(0, k);
	return out;
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

/** The tracer a flush event is tagged with, in a file that holds several. */
function tracerOf(events: EventStore, e: number): TracerId | undefined {
	return stringField(events, e, 'tracer') as TracerId | undefined;
}

/**
 * Pairs attempts with outcomes per file and tracer, in log order: an outcome closes the oldest
 * open attempt (or the one named by its `attemptEvent` field). Attempts left open are
 * "unconfirmed", or "presumed" accepted for tracers that never log a success.
 */
export function pairFlushes(
	events: EventStore,
	logsSuccess: (file: number, tracer?: TracerId) => boolean
): Flush[] {
	const flushes: Flush[] = [];
	// open attempts per file and tracer, oldest first; `head` skips the ones already closed
	const open = new Map<number, { queue: Flush[]; head: number }>();
	for (let e = 0; e < events.count; e++) {
		const kind = events.kindOf(e);
		if (kind !== 'flush.attempt' && kind !== 'flush.ok' && kind !== 'flush.error') continue;
		const file = events.file[e];
		const tracer = tracerOf(events, e);
		const key = tracer
			? file * (TRACER_IDS.length + 1) + 1 + TRACER_IDS.indexOf(tracer)
			: file * (TRACER_IDS.length + 1);
		let pending = open.get(key);
		if (!pending) open.set(key, (pending = { queue: [], head: 0 }));
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
			if (tracer) f.tracer = tracer;
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
			if (tracer) f.tracer = tracer;
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
		if (f.status === 'unconfirmed' && f.attempt !== undefined && !logsSuccess(f.file, f.tracer)) {
			f.status = 'presumed';
		}
	}
	return flushes;
}
