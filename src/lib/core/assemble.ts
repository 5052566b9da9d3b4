// Assembly: spans grouped into traces, and each flush attempt paired with its outcome.
import type { Analysis, Flush, LogEvent, Trace } from './model';

export function buildTraces(analysis: Analysis): Trace[] {
	const byId = new Map<string, Trace>();
	const spanIndex = new Map<string, number>();
	analysis.spans.forEach((span, i) => {
		let trace = byId.get(span.traceId);
		if (!trace) {
			trace = { traceId: span.traceId, spans: [], services: [], error: false };
			byId.set(span.traceId, trace);
		}
		trace.spans.push(i);
		spanIndex.set(span.traceId + '/' + span.spanId, i);
		if (span.service && !trace.services.includes(span.service)) trace.services.push(span.service);
		if (span.error) trace.error = true;
		if (span.start !== undefined) {
			if (trace.start === undefined || span.start < trace.start) trace.start = span.start;
			const end = span.start + (span.duration ?? 0);
			if (trace.end === undefined || end > trace.end) trace.end = end;
		}
	});
	// the root: a span with no parent (or parent 0); else the first whose parent is not in the log
	for (const trace of byId.values()) {
		let orphan: number | undefined;
		for (const i of trace.spans) {
			const parent = analysis.spans[i].parentId;
			if (!parent || /^0+$/.test(parent)) {
				trace.rootSpan = i;
				break;
			}
			if (orphan === undefined && !spanIndex.has(trace.traceId + '/' + parent)) orphan = i;
		}
		trace.rootSpan ??= orphan;
	}
	return [...byId.values()];
}

function numberField(e: LogEvent, key: string): number | undefined {
	const v = e.fields[key];
	return typeof v === 'number' ? v : undefined;
}

function stringField(e: LogEvent, key: string): string | undefined {
	const v = e.fields[key];
	return typeof v === 'string' ? v : undefined;
}

/**
 * Pairs attempts with outcomes per file, in log order: an outcome closes the oldest open attempt
 * (or the one named by its `attemptEvent` field). Attempts left open are "unconfirmed", or
 * "presumed" accepted for tracers that never log a success.
 */
export function pairFlushes(events: LogEvent[], logsSuccess: (file: number) => boolean): Flush[] {
	const flushes: Flush[] = [];
	// open attempts per file, oldest first; `head` skips the ones already closed
	const open = new Map<number, { queue: Flush[]; head: number }>();
	for (const e of events) {
		if (e.kind !== 'flush.attempt' && e.kind !== 'flush.ok' && e.kind !== 'flush.error') continue;
		let pending = open.get(e.file);
		if (!pending) open.set(e.file, (pending = { queue: [], head: 0 }));
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
		if (f.status === 'unconfirmed' && f.attempt !== undefined && !logsSuccess(f.file)) {
			f.status = 'presumed';
		}
	}
	return flushes;
}
