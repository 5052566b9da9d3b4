// The worker's side of big inputs: archives unpacked before the analysis (each log inside becomes a
// Blob the page can read again, and the bytes leave this worker's heap), and windows of any file's
// lines read on demand through the line offsets the analysis kept.
import type { Analysis, AnalyzeInput, Source, SourceData } from '../core/index';
// not in the core's public surface: the worker unpacks archives itself to keep their logs
import { ZIP_MAX_BYTES, isZip, unzipLogs } from '../core/input/archive';
import type { AnalysisView } from './view';
import {
	DEFAULT_WINDOW,
	accessOf,
	pickLines,
	readWindow,
	type Access,
	type WindowLimits,
	type WindowText
} from './window';

/** One input from the page; `gapBefore` comes back with a log that was unpacked from a flare. */
export interface PageInput {
	name: string;
	data: SourceData;
	gapBefore?: string;
}

export interface Unpacked {
	/** What the analysis reads: the inputs, with every zip replaced by the logs inside it. */
	sources: PageInput[];
	/** For each source, the index of the input it came from. */
	origin: number[];
	/** For each source, the Blob of a log unpacked from an archive (null: the input itself). */
	entries: (Blob | null)[];
	/** What happened to each archive, for the user. */
	notes: string[];
}

/**
 * Inflated bytes allowed for one archive: a flare or a zipped log inflates 5 to 30 times; far more
 * is a zip bomb, stopped before it fills the tab's memory (the core's own cap is the ceiling).
 */
export function zipCap(archiveBytes: number): number {
	return Math.min(ZIP_MAX_BYTES, Math.max(64 * 1024 * 1024, archiveBytes * 200));
}

function toPageInput(input: AnalyzeInput | PageInput, i: number): PageInput {
	if (
		typeof input === 'object' &&
		input !== null &&
		'data' in input &&
		!(input instanceof Uint8Array)
	) {
		const s = input as Source & { gapBefore?: string };
		return { name: s.name ?? `input-${i + 1}`, data: s.data, gapBefore: s.gapBefore };
	}
	const data = input as SourceData;
	const name = typeof File !== 'undefined' && data instanceof File ? data.name : `input-${i + 1}`;
	return { name, data };
}

function sizeOf(data: SourceData): number {
	if (typeof data === 'string') return data.length;
	if (data instanceof Uint8Array) return data.length;
	if (data instanceof Blob) return data.size;
	return 0;
}

/** Replaces every zip among the inputs by the logs inside it. */
export async function unpack(inputs: (AnalyzeInput | PageInput)[]): Promise<Unpacked> {
	const out: Unpacked = { sources: [], origin: [], entries: [], notes: [] };
	for (let i = 0; i < inputs.length; i++) {
		const input = toPageInput(inputs[i], i);
		if (!(await isZip(input.data))) {
			out.sources.push(input);
			out.origin.push(i);
			out.entries.push(null);
			continue;
		}
		const unzipped = await unzipLogs(input.name, input.data, zipCap(sizeOf(input.data)));
		out.notes.push(...unzipped.notes);
		for (const s of unzipped.sources) {
			const blob = new Blob([s.data as Uint8Array<ArrayBuffer>], { type: 'text/plain' });
			out.sources.push({ name: s.name, data: blob, gapBefore: s.gapBefore });
			out.origin.push(i);
			out.entries.push(blob);
		}
	}
	return out;
}

/** Reads windows of the files of one analysis. */
export class Windows {
	private readonly access: (Promise<Access> | undefined)[] = [];
	constructor(
		private readonly analysis: Analysis,
		private readonly sources: (SourceData | undefined)[]
	) {}

	async read(
		file: number,
		anchor: number,
		limits: Partial<WindowLimits> = {}
	): Promise<WindowText | null> {
		const offsets = this.analysis.lineOffsets[file];
		const summary = this.analysis.files[file];
		const data = this.sources[file];
		if (!offsets || !summary || data === undefined) return null;
		const lim = { ...DEFAULT_WINDOW, ...limits };
		this.access[file] ??= accessOf(data, summary.bytes);
		const access = await this.access[file];
		const { first, last } = pickLines(offsets, summary.bytes, anchor, lim);
		return readWindow(data, access, offsets, summary.bytes, file, first, last, lim.maxLineBytes);
	}
}

/**
 * After the analysis of `unpacked.sources`: adds the archive notes to the analysis, tells the view
 * where each file came from, and returns the window reader of its files.
 */
export function placeFiles(analysis: Analysis, view: AnalysisView, unpacked: Unpacked): Windows {
	// a zip inside a zip would shift the files: then only names tell where each came from
	const aligned = analysis.files.length === unpacked.sources.length;
	const sourceOf = (f: number) =>
		aligned ? f : unpacked.sources.findIndex((s) => s.name === analysis.files[f].name);
	analysis.notes = [...unpacked.notes, ...analysis.notes];
	view.notes = analysis.notes;
	view.origin = analysis.files.map((_, f) => unpacked.origin[sourceOf(f)] ?? -1);
	view.entries = analysis.files.map((_, f) => unpacked.entries[sourceOf(f)] ?? null);
	return new Windows(
		analysis,
		analysis.files.map((_, f) => unpacked.sources[sourceOf(f)]?.data)
	);
}

/**
 * Holds a Web Lock named `name` for as long as this worker lives: the page asks for the same lock
 * and gets it the moment the worker is gone (closed, killed), however it died.
 */
export function holdLock(name: string): Promise<boolean> {
	if (typeof navigator === 'undefined' || !navigator.locks) return Promise.resolve(false);
	return new Promise<boolean>((held) => {
		void navigator.locks.request(name, () => {
			held(true);
			return new Promise<void>(() => {});
		});
	});
}
