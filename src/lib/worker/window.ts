// A window of a file's lines, read on demand from the source through the line offsets the analysis
// kept (byte offset of every line), so a gigabyte log never has to be held as text. A plain file is
// read with Blob.slice; gzip, UTF-16 or bytes handed over as a stream are read again from the start
// through the same decoding the analysis used (openSource), so offsets mean the same bytes.
import { openSource, type SourceData } from '../core/index';

/** What the page shows of one file. */
export interface WindowText {
	file: number;
	/** First and last line of the file in `text` (1-based, inclusive); last < first when empty. */
	first: number;
	last: number;
	/** Lines in the whole file. */
	lines: number;
	/** The lines, joined by "\n" (the file's own line breaks are not kept). */
	text: string;
	/** Lines longer than the per-line cap: only their first `shown` bytes are in `text`. */
	cut: { line: number; bytes: number; shown: number }[];
}

export interface WindowLimits {
	/** Lines before and after the anchor line at most. */
	before: number;
	after: number;
	/** Bytes of text in one window at most (lines are dropped from both ends to fit). */
	maxBytes: number;
	/** Bytes of one line at most; a longer line is cut. */
	maxLineBytes: number;
}

export const DEFAULT_WINDOW: WindowLimits = {
	before: 800,
	after: 1200,
	maxBytes: 2 * 1024 * 1024,
	maxLineBytes: 256 * 1024
};

/** How the decoded bytes the offsets count relate to the source's own bytes. */
export type Access = { kind: 'slice'; shift: number } | { kind: 'stream' };

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

/**
 * Whether the analysed bytes are the Blob's own bytes (then a window is a Blob.slice), possibly
 * after a skipped UTF-8 byte-order mark. `decodedBytes` is the byte count the analysis read.
 */
export async function accessOf(data: SourceData, decodedBytes: number): Promise<Access> {
	if (!(data instanceof Blob)) return { kind: 'stream' };
	const shift = data.size - decodedBytes;
	if (shift !== 0 && shift !== 3) return { kind: 'stream' };
	const n = Math.min(4096, decodedBytes);
	const own = new Uint8Array(await data.slice(shift, shift + n).arrayBuffer());
	const opened = await openSource(data.slice(0, Math.min(data.size, 65536 + shift)));
	if (opened.problem) return { kind: 'stream' };
	const it = opened.chunks[Symbol.asyncIterator]();
	const parts: Uint8Array[] = [];
	let got = 0;
	while (got < n) {
		const { done, value } = await it.next();
		if (done) break;
		parts.push(value);
		got += value.length;
	}
	await it.return?.();
	const decoded = new Uint8Array(got);
	let at = 0;
	for (const p of parts) {
		decoded.set(p, at);
		at += p.length;
	}
	return equalBytes(decoded.subarray(0, n), own) ? { kind: 'slice', shift } : { kind: 'stream' };
}

/** Byte range [start, end) of line n (1-based), its line break included. */
function lineRange(offsets: Float64Array, total: number, n: number): [number, number] {
	return [offsets[n - 1], n < offsets.length ? offsets[n] : total];
}

/** The lines to show: around `anchor`, within the limits, widened evenly while they fit. */
export function pickLines(
	offsets: Float64Array,
	total: number,
	anchor: number,
	limits: WindowLimits
): { first: number; last: number } {
	const lines = offsets.length;
	if (lines === 0) return { first: 1, last: 0 };
	const a = Math.min(lines, Math.max(1, Math.round(anchor)));
	const cost = (n: number) => {
		const [s, e] = lineRange(offsets, total, n);
		return Math.min(e - s, limits.maxLineBytes + 1);
	};
	let first = a;
	let last = a;
	let bytes = cost(a);
	const minFirst = Math.max(1, a - limits.before);
	const maxLast = Math.min(lines, a + limits.after);
	// grow below and above in turn; a side that is done lets the other take the rest
	for (;;) {
		let grew = false;
		if (last < maxLast) {
			const c = cost(last + 1);
			if (bytes + c <= limits.maxBytes) {
				last++;
				bytes += c;
				grew = true;
			}
		}
		if (first > minFirst) {
			const c = cost(first - 1);
			if (bytes + c <= limits.maxBytes) {
				first--;
				bytes += c;
				grew = true;
			}
		}
		if (!grew) break;
	}
	return { first, last };
}

interface Segment {
	start: number;
	end: number;
	bytes: Uint8Array;
}

/** Reads the byte ranges of `segments` (sorted, not overlapping) from the decoded stream. */
async function readSegments(data: SourceData, access: Access, segments: Segment[]): Promise<void> {
	if (segments.length === 0) return;
	if (access.kind === 'slice' && data instanceof Blob) {
		for (const s of segments) {
			s.bytes = new Uint8Array(
				await data.slice(s.start + access.shift, s.end + access.shift).arrayBuffer()
			);
		}
		return;
	}
	const opened = await openSource(data);
	if (opened.problem) throw new Error(opened.problem.message);
	for (const s of segments) s.bytes = new Uint8Array(s.end - s.start);
	let pos = 0;
	let k = 0;
	const it = opened.chunks[Symbol.asyncIterator]();
	try {
		while (k < segments.length) {
			const { done, value } = await it.next();
			if (done) break;
			const chunkEnd = pos + value.length;
			while (k < segments.length) {
				const s = segments[k];
				const a = Math.max(s.start, pos);
				const b = Math.min(s.end, chunkEnd);
				if (a < b) s.bytes.set(value.subarray(a - pos, b - pos), a - s.start);
				if (s.end <= chunkEnd) k++;
				else break;
			}
			pos = chunkEnd;
		}
	} finally {
		await it.return?.();
	}
}

const LINE_BREAK = /\r\n?|\n/;

/** Lines first..last of a file whose line n starts at offsets[n - 1]; `total` is its byte count. */
export async function readWindow(
	data: SourceData,
	access: Access,
	offsets: Float64Array,
	total: number,
	file: number,
	first: number,
	last: number,
	maxLineBytes: number
): Promise<WindowText> {
	const lines = offsets.length;
	first = Math.max(1, first);
	last = Math.min(lines, last);
	const out: WindowText = { file, first, last, lines, text: '', cut: [] };
	if (last < first) return out;
	// runs of ordinary lines are read as one range; an over-long line only up to the cap
	const segments: (Segment & { from: number; to: number; cut?: number })[] = [];
	let n = first;
	while (n <= last) {
		const [s, e] = lineRange(offsets, total, n);
		if (e - s > maxLineBytes) {
			segments.push({
				start: s,
				end: s + maxLineBytes,
				bytes: new Uint8Array(0),
				from: n,
				to: n,
				cut: e - s
			});
			n++;
			continue;
		}
		let m = n;
		while (m + 1 <= last) {
			const [s2, e2] = lineRange(offsets, total, m + 1);
			if (e2 - s2 > maxLineBytes) break;
			m++;
		}
		segments.push({
			start: s,
			end: lineRange(offsets, total, m)[1],
			bytes: new Uint8Array(0),
			from: n,
			to: m
		});
		n = m + 1;
	}
	await readSegments(data, access, segments);
	const decoder = new TextDecoder('utf-8');
	const parts: string[] = [];
	for (const seg of segments) {
		let text = decoder.decode(seg.bytes);
		if (seg.cut !== undefined) {
			// the cut may fall inside a line break or a character: keep the text before it
			const br = text.search(LINE_BREAK);
			if (br >= 0) text = text.slice(0, br);
			parts.push(text);
			out.cut.push({ line: seg.from, bytes: seg.cut, shown: seg.bytes.length });
			continue;
		}
		const split = text.split(LINE_BREAK);
		// the range ends with the last line's break (none at the end of a file without one)
		const want = seg.to - seg.from + 1;
		for (let i = 0; i < want; i++) parts.push(split[i] ?? '');
	}
	out.text = parts.join('\n');
	return out;
}
