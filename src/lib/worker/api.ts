// The object the worker exposes through Comlink; a plain module so tests can call it directly.
// The Analysis stays here, in the worker: the page receives a transferable view of it (view.ts) and
// asks for details (one event, a filtered id list) when it needs them.
import { transfer } from 'comlink';
import {
	analyze,
	type Analysis,
	type AnalyzeInput,
	type LogEvent,
	type Progress,
	type Source,
	type Span,
	type TracerId
} from '../core/index';
import type { RedactOptions } from '../permalink/index';
import {
	buildView,
	filterEvents,
	transferables,
	type AnalysisView,
	type EventColumns,
	type FilterChip
} from './view';
import { holdLock, placeFiles, unpack, type PageInput, type Windows } from './scale';
import type { WindowLimits, WindowText } from './window';
import {
	buildShare,
	gzipFile,
	openLink,
	type OpenedLink,
	type ShareAnswer,
	type ShareAsk,
	type Shareable
} from './share';

const running = new Map<number, AbortController>();
let current:
	| { job: number; analysis: Analysis; view: AnalysisView; share: Shareable; windows: Windows }
	| undefined;

/** Options of one analysis. */
export interface AnalyzeAsk {
	/** Parse as this tracer (a shared excerpt may lack the lines that detect it). */
	tracer?: TracerId;
}

function asSources(inputs: AnalyzeInput[]): Source[] {
	return inputs.map((input, i) =>
		typeof input === 'object' && input !== null && 'data' in input && !(input instanceof Uint8Array)
			? (input as Source)
			: { name: `input-${i + 1}`, data: input as Source['data'] }
	);
}

export interface EventDetail {
	event: LogEvent;
	fileName: string;
	span?: Span;
	traceId?: string;
}

function traceIdOf(t: number): string {
	const traces = current?.analysis.traces;
	return traces && t >= 0 && t < traces.count ? traces.traceIdOf(t) : '';
}

/** Event columns that only the page reads: they move to it without a copy. */
const PAGE_ONLY = new Set(['endLine', 'repeat', 'summaryAt']);

/**
 * The event columns for the page (copies of those the worker keeps reading) and the ones the worker
 * keeps (the page-only ones emptied, as they will be once moved).
 */
function splitColumns(columns: EventColumns): { sent: EventColumns; kept: EventColumns } {
	const sent = { ...columns } as Record<string, unknown>;
	const kept = { ...columns, summaries: '' } as Record<string, unknown>;
	for (const [k, v] of Object.entries(columns)) {
		if (!ArrayBuffer.isView(v)) continue;
		if (PAGE_ONLY.has(k)) kept[k] = (v as unknown as Uint8Array).subarray(0, 0);
		else sent[k] = (v as unknown as Uint8Array).slice();
	}
	return { sent: sent as unknown as EventColumns, kept: kept as unknown as EventColumns };
}

/** Marks the buffers to be moved, not copied, when the value crosses the worker boundary. */
function handOver<T>(value: T, buffers: ArrayBuffer[]): T {
	return transfer(value, buffers);
}

export const api = {
	/**
	 * Analyses the inputs (strings, Files or bytes; Files are read here as streams) and returns the
	 * view to paint. `job` lets the page cancel it; a new job drops the previous analysis.
	 */
	async analyze(
		job: number,
		inputs: (AnalyzeInput | PageInput)[],
		onProgress?: (p: Progress) => void,
		ask: AnalyzeAsk = {}
	): Promise<AnalysisView> {
		const started = performance.now();
		const controller = new AbortController();
		running.set(job, controller);
		current = undefined; // free the previous analysis before reading the next one
		try {
			// zips become the logs inside them (Blobs the page gets back in view.entries)
			const unpacked = await unpack(inputs);
			if (controller.signal.aborted)
				throw new DOMException('The analysis was cancelled.', 'AbortError');
			const analysis = await analyze(unpacked.sources, {
				signal: controller.signal,
				onProgress,
				tracer: ask.tracer
			});
			const view = buildView(analysis, job, started);
			const windows = placeFiles(analysis, view, unpacked);
			// the columns move to the page; filters and details here keep reading some event columns
			// (a few are the analysis's own), and read summaries from the analysis
			const events = splitColumns(view.events);
			const sent = { ...view, events: events.sent };
			current = {
				job,
				analysis,
				view: { ...view, events: events.kept },
				share: { analysis, inputs: asSources(unpacked.sources) },
				windows
			};
			return handOver(sent, transferables(sent));
		} finally {
			running.delete(job);
		}
	},

	/** Stops a running analysis; its promise rejects with an AbortError. */
	cancel(job: number): void {
		running.get(job)?.abort();
	},

	/** Ids of the events of `job` that pass the chips, in display order. */
	filter(job: number, chips: FilterChip[]): Int32Array | null {
		if (!current || current.job !== job) return null;
		const ids = filterEvents(current.analysis, current.view, chips, traceIdOf);
		return handOver(ids, [ids.buffer as ArrayBuffer]);
	},

	/** Everything about one event: fields, span, trace id. */
	event(job: number, id: number): EventDetail | null {
		if (!current || current.job !== job) return null;
		const a = current.analysis;
		const event = a.events.at(id);
		if (!event || id < 0) return null;
		const si = current.view.events.span[id];
		const ti = current.view.events.trace[id];
		return {
			event,
			fileName: a.files[event.file]?.name ?? '',
			span: si >= 0 ? a.spans.get(si) : undefined,
			traceId: ti >= 0 ? traceIdOf(ti) : undefined
		};
	},

	/** A share link of the analysis of `job` (excerpt or whole, redacted as asked). */
	async share(job: number, ask: ShareAsk): Promise<ShareAnswer | null> {
		if (!current || current.job !== job) return null;
		return buildShare(current.share, ask);
	},

	/** File `file` of the analysis of `job` as a .log.gz Blob (redacted as asked). */
	async gzip(
		job: number,
		file: number,
		redact: RedactOptions | false
	): Promise<Awaited<ReturnType<typeof gzipFile>> | null> {
		if (!current || current.job !== job) return null;
		return gzipFile(current.share, file, redact);
	},

	/** Decodes a shared link (never throws: a damaged link says what went wrong). */
	openLink(hash: string): Promise<OpenedLink> {
		return openLink(hash);
	},

	/**
	 * Lines of file `file` of `job` around line `anchor`, read from the file itself through the
	 * line offsets: how the page shows a log too big for the editor.
	 */
	window(
		job: number,
		file: number,
		anchor: number,
		limits?: Partial<WindowLimits>
	): Promise<WindowText | null> | null {
		if (!current || current.job !== job) return null;
		return current.windows.read(file, anchor, limits);
	},

	/** Holds the Web Lock `name` while this worker lives (the page learns at once when it dies). */
	hold(name: string): Promise<boolean> {
		return holdLock(name);
	},

	/** Throws outside any call, as a crashing worker would; the e2e test of the restart uses it. */
	crashForTest(): void {
		setTimeout(() => {
			throw new Error('worker crash (test)');
		});
	},

	/** Ends the worker without a word, as when the browser kills it (the e2e test uses it). */
	exitForTest(): void {
		setTimeout(() => self.close());
	}
};

export type Api = typeof api;
export type { AnalysisView, FilterChip, OpenedLink, PageInput, ShareAnswer, ShareAsk, WindowText };
