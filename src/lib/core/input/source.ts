// Opens what the user gave us (a string, bytes, a Blob/File or a stream) as a stream of byte chunks,
// and sniffs its first bytes: gzip is decompressed on the fly, a UTF-8 BOM is dropped, UTF-16 is
// transcoded to UTF-8, and binary content is named instead of parsed. A Blob/File is read in slices of
// 1 MB, several at once (Blob.stream() hands out 64 KB chunks one at a time, and the parser waited).
import type { InputProblem } from '../model';
import { concatBytes } from './bytes';

/**
 * A file read by position: how the CLI hands files over in Node, where a Blob moves on by 64 KB per
 * event-loop turn (the parser waited on it) and a positional read runs in the background.
 */
export interface PositionalFile {
	readonly size: number;
	/** Up to `length` bytes from `position` (fewer only at the end of the file). */
	read(position: number, length: number): Promise<Uint8Array>;
}

export type SourceData = string | Uint8Array | Blob | ReadableStream<Uint8Array> | PositionalFile;

export function isPositional(data: SourceData): data is PositionalFile {
	return (
		typeof data === 'object' &&
		!(data instanceof Uint8Array) &&
		!(typeof Blob !== 'undefined' && data instanceof Blob) &&
		typeof (data as PositionalFile).read === 'function'
	);
}

export interface Source {
	name?: string;
	data: SourceData;
}

const CHUNK = 1 << 20;
/** Bytes of a Blob read at a time. */
export const BLOB_SLICE = 1 << 20;
/**
 * Slices being read while one is parsed. A Blob read moves on only when the event loop runs, by one
 * step per running read (64 KB in Node; analyze yields once per MB): more reads wait less, but 16
 * cost more main-thread time (GC) than they saved on the Node.js bench log.
 */
const READ_AHEAD = 4;

/** Size in bytes when it is known before reading. */
export function knownSize(data: SourceData): number | undefined {
	if (typeof data === 'string') return undefined;
	if (data instanceof Uint8Array) return data.length;
	if (typeof Blob !== 'undefined' && data instanceof Blob) return data.size;
	if (isPositional(data)) return data.size;
	return undefined;
}

/** Whether the same data can be read again from the start (needed for a late detection). */
export function canReread(data: SourceData): boolean {
	return !(typeof ReadableStream !== 'undefined' && data instanceof ReadableStream);
}

/** The input's bytes as they are (no sniffing, no decompression), a slice at a time. */
export async function* rawChunks(
	data: SourceData,
	releasing?: Releasing
): AsyncGenerator<Uint8Array> {
	if (typeof data === 'string') {
		const encoder = new TextEncoder();
		for (let i = 0; i < data.length;) {
			let end = Math.min(data.length, i + CHUNK);
			// never cut a surrogate pair in two
			if (end < data.length && (data.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--;
			yield encoder.encode(data.slice(i, end));
			i = end;
		}
	} else if (data instanceof Uint8Array) {
		for (let i = 0; i < data.length; i += CHUNK) yield data.subarray(i, i + CHUNK);
	} else if (isPositional(data)) {
		// our own buffers: nothing to release early
		yield* slices(data.size, (from) => data.read(from, BLOB_SLICE));
	} else if (!(data instanceof ReadableStream)) {
		const blob = data;
		const reader = byobReader(blob);
		if (reader) {
			yield* byobChunks(reader, releasing);
			return;
		}
		const read = async (from: number) =>
			new Uint8Array(await blob.slice(from, from + BLOB_SLICE).arrayBuffer());
		yield* slices(blob.size, read, releasing);
	} else {
		const reader = data.getReader();
		// read-ahead: the next chunk is asked for before this one is handed on, so the file is read
		// while the lines of this chunk are parsed
		let next = reader.read();
		try {
			for (;;) {
				const { done, value } = await next;
				if (done) break;
				next = reader.read();
				if (value && value.length) yield value;
			}
		} finally {
			next.catch(() => {}); // a read still pending when the caller stops early is dropped
			reader.releaseLock();
		}
	}
}

/** A reader of the Blob's byte stream into buffers of ours, where the stream is one. */
function byobReader(blob: Blob): ReadableStreamBYOBReader | undefined {
	try {
		return blob.stream().getReader({ mode: 'byob' });
	} catch {
		return undefined; // not a byte stream: read by slices
	}
}

/**
 * A Blob's bytes read into BLOB_SLICE buffers. In Chrome's worker this analysed a gigabyte file in
 * a quarter to a third less time than slices (measured 5.4–6.9 s against 8.5–9.5 s, alternating),
 * whose arrayBuffer() copies each slice on the worker's own thread. When `releasing.on`, a chunk's
 * buffer is read into again once the next chunk is asked for (the read detaches the old view);
 * before that, every chunk gets a buffer of its own, since peeking and gzip keep them.
 */
async function* byobChunks(
	reader: ReadableStreamBYOBReader,
	releasing?: Releasing
): AsyncGenerator<Uint8Array> {
	let spare: ArrayBuffer | undefined;
	try {
		for (;;) {
			const buffer = releasing?.on && spare ? spare : new ArrayBuffer(BLOB_SLICE);
			const { done, value } = await reader.read(new Uint8Array(buffer));
			if (done || !value) break;
			if (value.length) yield value;
			spare = value.buffer as ArrayBuffer;
		}
	} finally {
		reader.cancel().catch(() => {}); // stops the file read when the caller stops early
	}
}

/** Frees an ArrayBuffer's memory now instead of at the next full GC (it becomes empty). */
function release(buffer: ArrayBuffer): void {
	const transfer = (buffer as { transfer?: (length: number) => ArrayBuffer }).transfer;
	// where transfer() is missing (Node 20), the clone takes the memory and is young garbage
	if (transfer) transfer.call(buffer, 0);
	else structuredClone(buffer, { transfer: [buffer] });
}

/** Whether a slice handed out may be freed once the next one is asked for. */
interface Releasing {
	on: boolean;
}

/**
 * A file's bytes, BLOB_SLICE at a time (a Blob's or a positional file's). Read-ahead slices of a
 * Blob outlive minor GCs and wait for a full one (in the browser worker they piled up to hundreds
 * of MB): when `releasing.on`, a slice is freed as soon as the next one is asked for.
 */
async function* slices(
	size: number,
	readAt: (from: number) => Promise<Uint8Array>,
	releasing?: Releasing
): AsyncGenerator<Uint8Array> {
	const read = (from: number) => {
		const bytes = readAt(from);
		bytes.catch(() => {}); // a failure comes out where the slice is awaited, not as unhandled
		return bytes;
	};
	// read-ahead: the next slices are asked for before this one is handed on, so the file is read
	// while the lines of this slice are parsed
	const ahead: Promise<Uint8Array>[] = [];
	let from = 0;
	for (; from < size && ahead.length < READ_AHEAD; from += BLOB_SLICE) ahead.push(read(from));
	while (ahead.length) {
		const bytes = await ahead.shift()!;
		if (from < size) {
			ahead.push(read(from));
			from += BLOB_SLICE;
		}
		yield bytes;
		if (releasing?.on) release(bytes.buffer as ArrayBuffer);
	}
}

/** Re-chunks an async iterable into a ReadableStream so it can be piped through a transform. */
function toStream(first: Uint8Array, rest: AsyncIterator<Uint8Array>): ReadableStream<Uint8Array> {
	let sentFirst = false;
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			if (!sentFirst) {
				sentFirst = true;
				controller.enqueue(first);
				return;
			}
			const { done, value } = await rest.next();
			if (done) controller.close();
			else controller.enqueue(value);
		},
		async cancel() {
			await rest.return?.();
		}
	});
}

export interface OpenedSource {
	/** A chunk may be freed (emptied) once the next one is asked for: copy what you keep. */
	chunks: AsyncIterable<Uint8Array>;
	/** Notes about the encoding or compression, shown to the user. */
	notes: string[];
	problem?: InputProblem;
}

const GZIP = [0x1f, 0x8b];
const ZIP = [0x50, 0x4b, 0x03, 0x04];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
	return magic.every((b, i) => bytes[i] === b);
}

/** Share of NUL bytes at odd/even positions: UTF-16 text without BOM has one side all zero. */
function looksUtf16(sample: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
	if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
	if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
	const n = Math.min(sample.length & ~1, 4096);
	if (n < 8) return undefined;
	let evenZero = 0;
	let oddZero = 0;
	for (let i = 0; i < n; i += 2) {
		if (sample[i] === 0) evenZero++;
		if (sample[i + 1] === 0) oddZero++;
	}
	const pairs = n / 2;
	if (oddZero > pairs * 0.9 && evenZero < pairs * 0.05) return 'utf-16le';
	if (evenZero > pairs * 0.9 && oddZero < pairs * 0.05) return 'utf-16be';
	return undefined;
}

/** Binary when the sample holds NUL bytes or many control characters. */
function looksBinary(sample: Uint8Array): boolean {
	const n = Math.min(sample.length, 65536);
	let control = 0;
	for (let i = 0; i < n; i++) {
		const b = sample[i];
		if (b === 0) return true;
		if (b < 9 || (b > 13 && b < 32 && b !== 27)) control++;
	}
	return control > n * 0.1;
}

async function* transcode(
	first: Uint8Array,
	rest: AsyncIterator<Uint8Array>,
	encoding: string
): AsyncGenerator<Uint8Array> {
	const decoder = new TextDecoder(encoding); // drops the BOM itself
	const encoder = new TextEncoder();
	try {
		yield encoder.encode(decoder.decode(first, { stream: true }));
		for (;;) {
			const { done, value } = await rest.next();
			if (done) break;
			yield encoder.encode(decoder.decode(value, { stream: true }));
		}
		const tail = decoder.decode();
		if (tail) yield encoder.encode(tail);
	} finally {
		await rest.return?.(); // a caller that stops early lets go of the source
	}
}

async function* prepend(
	first: Uint8Array,
	rest: AsyncIterator<Uint8Array>
): AsyncGenerator<Uint8Array> {
	try {
		if (first.length) yield first;
		for (;;) {
			const { done, value } = await rest.next();
			if (done) return;
			yield value;
		}
	} finally {
		await rest.return?.(); // a caller that stops early lets go of the source
	}
}

/**
 * Reads the first chunk (at least 64 KiB when the source has that much) to sniff the format. When
 * reading fails part way (a cut .gz), what came before is kept and the error comes back from `rest`.
 */
async function peek(
	it: AsyncIterator<Uint8Array>
): Promise<{ head: Uint8Array; rest: AsyncIterator<Uint8Array> }> {
	const parts: Uint8Array[] = [];
	let total = 0;
	try {
		while (total < 65536) {
			const { done, value } = await it.next();
			if (done) break;
			parts.push(value);
			total += value.length;
		}
	} catch (error) {
		if (total === 0) throw error;
		const failing: AsyncIterator<Uint8Array> = { next: () => Promise.reject(error) };
		return { head: concatBytes(parts, total), rest: failing };
	}
	return { head: concatBytes(parts, total), rest: it };
}

export async function openSource(data: SourceData, depth = 0): Promise<OpenedSource> {
	// off while peeking, which holds the first chunks, and for gzip, which reads them later
	const releasing: Releasing = { on: false };
	const { head: first, rest: it } = await peek(rawChunks(data, releasing)[Symbol.asyncIterator]());
	const notes: string[] = [];
	if (first.length === 0) {
		return {
			chunks: prepend(first, it),
			notes,
			problem: { code: 'empty', message: 'The file is empty.' }
		};
	}
	if (startsWith(first, GZIP) && depth === 0) {
		if (typeof DecompressionStream === 'undefined') {
			return {
				chunks: prepend(new Uint8Array(0), it),
				notes,
				problem: {
					code: 'gzip',
					message: 'This is a gzip file and this browser cannot decompress it.'
				}
			};
		}
		const inflated = toStream(first, it).pipeThrough(
			new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>
		);
		const opened = await openSource(inflated, depth + 1);
		opened.notes.unshift('Decompressed from gzip.');
		return opened;
	}
	if (startsWith(first, ZIP)) {
		return {
			chunks: prepend(new Uint8Array(0), it),
			notes,
			problem: {
				code: 'binary',
				message: 'This is a zip archive; unzip it and open the log files inside.'
			}
		};
	}
	const utf16 = looksUtf16(first);
	if (utf16) {
		notes.push(`Read as ${utf16.toUpperCase()} text; byte offsets refer to the UTF-8 re-encoding.`);
		return { chunks: transcode(first, it, utf16), notes };
	}
	if (looksBinary(first)) {
		return {
			chunks: prepend(new Uint8Array(0), it),
			notes,
			problem: {
				code: 'binary',
				message: 'This looks like a binary file, not a text log: it holds NUL or control bytes.'
			}
		};
	}
	releasing.on = true;
	let head = first;
	if (first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) {
		head = first.subarray(3);
		notes.push('A UTF-8 byte-order mark was skipped.');
	}
	return { chunks: prepend(head, it), notes };
}
