// The streaming input layer: chunk boundaries anywhere, every line ending, huge lines, encodings.
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import {
	analyze,
	BLOB_SLICE,
	LineIndex,
	LineSplitter,
	MAX_LINE_BYTES,
	openSource,
	stripAnsi
} from '../../src/lib/core/index';

interface Got {
	text: string;
	lineNo: number;
	offset: number;
	truncated: boolean;
}

const LF_BYTE = 10;
const CR_BYTE = 13;

function split(chunks: Uint8Array[]): { lines: Got[]; splitter: LineSplitter; index: LineIndex } {
	const lines: Got[] = [];
	const index = new LineIndex();
	const splitter = new LineSplitter(
		(text, lineNo, offset, truncated) => lines.push({ text, lineNo, offset, truncated }),
		index
	);
	for (const c of chunks) splitter.push(c);
	splitter.end();
	return { lines, splitter, index };
}

/** Every way to cut `bytes` into two chunks, plus one-byte chunks. */
function cuts(bytes: Uint8Array): Uint8Array[][] {
	const out: Uint8Array[][] = [];
	for (let i = 0; i <= bytes.length; i++) out.push([bytes.slice(0, i), bytes.slice(i)]);
	out.push([...bytes].map((b) => Uint8Array.of(b)));
	return out;
}

const enc = new TextEncoder();

function concat(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}

describe('LineSplitter', () => {
	it('gives no line for empty input', () => {
		const { lines, splitter } = split([]);
		expect(lines).toEqual([]);
		expect(splitter.lines).toBe(0);
		expect(split([new Uint8Array(0)]).lines).toEqual([]);
	});

	it('splits LF, CRLF and lone CR, wherever the chunks are cut', () => {
		const bytes = enc.encode('a1\nb22\r\nc333\rd4444\r\n\r\nlast');
		const want = ['a1', 'b22', 'c333', 'd4444', '', 'last'];
		for (const chunks of cuts(bytes)) {
			const { lines } = split(chunks);
			expect(lines.map((l) => l.text)).toEqual(want);
			expect(lines.map((l) => l.offset)).toEqual([0, 3, 8, 13, 20, 22]);
			expect(lines.map((l) => l.lineNo)).toEqual([1, 2, 3, 4, 5, 6]);
		}
	});

	it('decodes multi-byte UTF-8 cut in the middle of a character', () => {
		const text = 'héllo ✓ 😀\nzweite Zeile äöü\n';
		const bytes = enc.encode(text);
		for (const chunks of cuts(bytes)) {
			expect(split(chunks).lines.map((l) => l.text)).toEqual(['héllo ✓ 😀', 'zweite Zeile äöü']);
		}
	});

	it('does not add an empty last line after a final line break', () => {
		expect(split([enc.encode('a\nb\n')]).lines.length).toBe(2);
		expect(split([enc.encode('a\r\n')]).lines.length).toBe(1);
		expect(split([enc.encode('a\r'), enc.encode('\n')]).lines.length).toBe(1);
	});

	it('keeps line offsets, not lines', () => {
		const { index } = split([enc.encode('ab\ncd\r\nef')]);
		expect([...index.toArray()]).toEqual([0, 3, 7]);
	});

	it('cuts a line longer than the cap for parsing but counts all of it', () => {
		const big = new Uint8Array(MAX_LINE_BYTES + 1000).fill(0x61);
		const chunks = [];
		for (let i = 0; i < big.length; i += 1 << 20) chunks.push(big.subarray(i, i + (1 << 20)));
		chunks.push(enc.encode('\nnext\n'));
		const { lines, splitter } = split(chunks);
		expect(lines.length).toBe(2);
		expect(lines[0].truncated).toBe(true);
		expect(lines[0].text.length).toBe(MAX_LINE_BYTES);
		expect(lines[1]).toMatchObject({
			text: 'next',
			offset: MAX_LINE_BYTES + 1001,
			truncated: false
		});
		expect(splitter.longestLine).toBe(MAX_LINE_BYTES + 1000);
		expect(splitter.truncatedLines).toBe(1);
	});

	it('splits a chunk of several MB like the same bytes in small pieces (bytes 0x80-0xff too)', () => {
		// line breaks of every kind, one CRLF across each 1 MB boundary (a multiple of the search window), and non-ASCII bytes
		const size = 3 * (1 << 20) + 77;
		const bytes = new Uint8Array(size);
		for (let i = 0; i < size; i++) bytes[i] = 0x20 + ((i * 7919) % 0xe0);
		for (let i = 50; i < size; i += 997) bytes[i] = i % 3 ? LF_BYTE : CR_BYTE;
		for (let m = 1; m <= 3; m++) {
			bytes[m * (1 << 20) - 1] = CR_BYTE;
			bytes[m * (1 << 20)] = LF_BYTE;
		}
		const pieces: Uint8Array[] = [];
		for (let i = 0; i < size; i += 4093) pieces.push(bytes.subarray(i, i + 4093));
		const whole = split([bytes]).lines;
		expect(whole.length).toBeGreaterThan(3000);
		expect(whole).toEqual(split(pieces).lines);
	});

	it('gives each line as it decodes alone, in windows of ASCII and windows of other bytes', () => {
		const special = [
			Uint8Array.from([0x63, 0x61, 0x66, 0xc3, 0xa9]), // 'café'
			Uint8Array.from([0x61, 0x80, 0x62]), // a lone continuation byte
			Uint8Array.from([0x61, 0x62, 0xc3]), // a character cut by the line break
			Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]) // a byte-order mark
		];
		const lines: Uint8Array[] = [];
		for (let i = 0; i < 3000; i++) {
			lines.push(
				i % 500 === 250
					? special[((i / 500) | 0) % 4]
					: enc.encode(`line ${i} ${'x'.repeat(i % 97)}`)
			);
		}
		const bytes = concat(lines.flatMap((l) => [l, Uint8Array.of(LF_BYTE)]));
		const dec = new TextDecoder();
		const want = lines.map((l) => dec.decode(l));
		expect(split([bytes]).lines.map((l) => l.text)).toEqual(want);
		const pieces: Uint8Array[] = [];
		for (let i = 0; i < bytes.length; i += 4093) pieces.push(bytes.subarray(i, i + 4093));
		expect(split(pieces).lines.map((l) => l.text)).toEqual(want);
	});

	it('removes colour codes when asked, wherever the line is cut', () => {
		const bytes = enc.encode(
			'\x1b[32mINFO\x1b[0m one\nplain\r\nWARN \x1b[1mbold\x1b[0m\n\x1b[31mlast'
		);
		const want = ['INFO one', 'plain', 'WARN bold', 'last'];
		for (const chunks of cuts(bytes)) {
			const got: string[] = [];
			const splitter = new LineSplitter((t) => got.push(t), undefined, true);
			for (const c of chunks) splitter.push(c);
			splitter.end();
			expect(got).toEqual(want);
		}
		expect(split([bytes]).lines[0].text).toBe('\x1b[32mINFO\x1b[0m one'); // not asked: kept
	});

	it('handles a 10 MB line in one chunk', () => {
		const big = new Uint8Array(10 * 1024 * 1024).fill(0x62);
		const { lines } = split([big]);
		expect(lines.length).toBe(1);
		expect(lines[0].truncated).toBe(true);
	});
});

describe('stripAnsi', () => {
	it('removes colour codes and leaves other text alone', () => {
		expect(stripAnsi('\x1b[32mINFO\x1b[0m done')).toBe('INFO done');
		expect(stripAnsi('plain')).toBe('plain');
	});
});

async function readAll(data: Parameters<typeof openSource>[0]) {
	const opened = await openSource(data);
	const parts: string[] = [];
	const dec = new TextDecoder();
	for await (const c of opened.chunks) parts.push(dec.decode(c, { stream: true }));
	return { text: parts.join(''), notes: opened.notes, problem: opened.problem };
}

describe('openSource', () => {
	it('names an empty input', async () => {
		expect((await readAll(new Uint8Array(0))).problem?.code).toBe('empty');
		expect((await readAll('')).problem?.code).toBe('empty');
	});

	it('skips a UTF-8 BOM and says so', async () => {
		const r = await readAll(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61, 0x0a));
		expect(r.text).toBe('a\n');
		expect(r.notes.join(' ')).toMatch(/byte-order mark/);
	});

	it('reads UTF-16 LE and BE with a BOM, and LE without one', async () => {
		const le = Buffer.from('\ufeffline one\nline two\n', 'utf16le');
		expect((await readAll(new Uint8Array(le))).text).toBe('line one\nline two\n');
		const be = Buffer.from(le).swap16();
		expect((await readAll(new Uint8Array(be))).text).toBe('line one\nline two\n');
		const noBom = Buffer.from('no bom here, just text\n', 'utf16le');
		const r = await readAll(new Uint8Array(noBom));
		expect(r.text).toBe('no bom here, just text\n');
		expect(r.notes.join(' ')).toMatch(/UTF-16LE/);
	});

	it('names binary content', async () => {
		const bin = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7) % 256);
		expect((await readAll(bin)).problem?.code).toBe('binary');
	});

	it('decompresses gzip on the fly', async () => {
		const gz = gzipSync(Buffer.from('compressed line\n'.repeat(1000)));
		const r = await readAll(new Uint8Array(gz));
		expect(r.text).toBe('compressed line\n'.repeat(1000));
		expect(r.notes[0]).toMatch(/gzip/);
	});

	it('asks a stream for its next chunk before handing on the current one', async () => {
		const chunk = (c: string) => new TextEncoder().encode(c.repeat(65536));
		const parts = [chunk('a'), chunk('b'), chunk('c')];
		let pulls = 0;
		const stream = new ReadableStream<Uint8Array>(
			{
				pull(controller) {
					pulls++;
					const p = parts.shift();
					if (p) controller.enqueue(p);
					else controller.close();
				}
			},
			{ highWaterMark: 0 }
		);
		const seen: number[] = [];
		for await (const c of (await openSource(stream)).chunks) {
			expect(c.length).toBe(65536);
			seen.push(pulls); // read-ahead: holding chunk k, k + 1 reads were asked for
		}
		expect(seen).toEqual([2, 3, 4]);
	});

	it('lets go of a stream read in part, with no read left dangling', async () => {
		const stream = new Blob([new Uint8Array(300_000).fill(0x61)]).stream();
		for await (const c of (await openSource(stream)).chunks) {
			expect(c.length).toBeGreaterThan(0);
			break;
		}
		expect(stream.locked).toBe(false);
	});

	it('keeps surrogate pairs whole when a long string is chunked', async () => {
		const s = 'x'.repeat((1 << 20) - 1) + '😀tail';
		expect((await readAll(s)).text).toBe(s);
	});
});

/**
 * Counts the slices asked of it; the slice from byte `failFrom` fails to read, like a file gone away.
 * Its stream is not a byte stream, as in browsers without one: it is read by slices.
 */
class WatchedBlob extends Blob {
	slices = 0;
	override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
		return new ReadableStream();
	}
	constructor(
		parts: BlobPart[],
		private readonly failFrom = -1
	) {
		super(parts);
	}
	override slice(start = 0, end?: number): Blob {
		this.slices++;
		if (start !== this.failFrom) return super.slice(start, end);
		const failing = new Blob([]);
		failing.arrayBuffer = () => Promise.reject(new Error('NotReadableError: gone'));
		return failing;
	}
}

describe('reading a Blob by slices', () => {
	async function splitBlob(blob: Blob) {
		const chunks: Uint8Array[] = [];
		// copies: a slice is freed once the next one is asked for
		for await (const c of (await openSource(blob)).chunks) chunks.push(c.slice());
		return { chunks, ...split(chunks) };
	}

	it('frees a slice once the next one is asked for, not before, and not when it feeds gzip', async () => {
		const plain = new Blob([new Uint8Array(2 * BLOB_SLICE + 10).fill(0x61)]);
		const handed: Uint8Array[] = [];
		for await (const c of (await openSource(plain)).chunks) {
			expect(c.length).toBeGreaterThan(0);
			expect(c[c.length - 1]).toBe(0x61);
			handed.push(c);
		}
		expect(handed.map((c) => c.length)).toEqual([0, 0, 0]); // the last once the end is asked for
		const gz = new Uint8Array(gzipSync(Buffer.from('a\n'.repeat(BLOB_SLICE)), { level: 0 }));
		expect(gz.length).toBeGreaterThan(BLOB_SLICE);
		const { lines } = await splitBlob(new Blob([gz]));
		expect(lines.length).toBe(BLOB_SLICE);
	});

	it('reads BLOB_SLICE bytes at a time, asking for the next slices before handing one on', async () => {
		const blob = new WatchedBlob([new Uint8Array(3 * BLOB_SLICE + 10).fill(0x61)]);
		const sizes: number[] = [];
		const asked: number[] = [];
		for await (const c of (await openSource(blob)).chunks) {
			sizes.push(c.length);
			asked.push(blob.slices);
		}
		expect(sizes).toEqual([BLOB_SLICE, BLOB_SLICE, BLOB_SLICE, 10]);
		expect(asked[0]).toBeGreaterThan(1); // read-ahead
		expect(blob.slices).toBe(4);
	});

	it('splits across slice boundaries like the bytes in one piece: CRLF, multi-byte characters, a line longer than a slice', async () => {
		const size = 4 * BLOB_SLICE + 123;
		const bytes = new Uint8Array(size).fill(0x78);
		for (let i = 100; i < BLOB_SLICE - 10; i += 80) bytes[i] = LF_BYTE;
		// CRLF across the first boundary
		bytes[BLOB_SLICE - 1] = CR_BYTE;
		bytes[BLOB_SLICE] = LF_BYTE;
		// '✓' (3 bytes) across the second, then a lone CR at the end of the third slice
		bytes.set(enc.encode('✓'), 2 * BLOB_SLICE - 1);
		bytes[2 * BLOB_SLICE + 5] = LF_BYTE;
		bytes[3 * BLOB_SLICE - 1] = CR_BYTE;
		// from there on a single line of more than a slice
		const { lines, index } = await splitBlob(new Blob([bytes]));
		const whole = split([bytes]);
		expect(lines).toEqual(whole.lines);
		expect([...index.toArray()]).toEqual([...whole.index.toArray()]);
		const at = (offset: number) => lines.find((l) => l.offset === offset)!;
		expect(at(BLOB_SLICE + 1).text).toBe('x'.repeat(BLOB_SLICE - 2) + '✓' + 'xxx');
		expect(at(2 * BLOB_SLICE + 6).text).toBe('x'.repeat(BLOB_SLICE - 7));
		expect(at(3 * BLOB_SLICE).text.length).toBe(BLOB_SLICE + 123);
		expect(lines[lines.length - 1].offset).toBe(3 * BLOB_SLICE);
	});

	it('decompresses a gzip Blob of several slices, and keeps what a cut one unpacked', async () => {
		const line = (i: number) => `line ${i} ${String(i * 7919).repeat(6)}\n`;
		const text = Array.from({ length: 400_000 }, (_, i) => line(i)).join('');
		const gz = new Uint8Array(gzipSync(Buffer.from(text), { level: 1 }));
		expect(gz.length).toBeGreaterThan(2 * BLOB_SLICE);
		const { lines } = await splitBlob(new Blob([gz]));
		expect(lines.length).toBe(400_000);
		expect(lines[123_456].text).toBe(line(123_456).trimEnd());
		const cut = await analyze({
			name: 'cut.log.gz',
			data: new Blob([gz.slice(0, 2 * BLOB_SLICE)])
		});
		expect(cut.files[0].warnings.join(' ')).toMatch(/gzip file is damaged or cut short/);
		expect(cut.files[0].lines).toBeGreaterThan(100_000);
		expect(cut.files[0].lines).toBeLessThan(400_000);
	});

	it('keeps the lines before a slice that cannot be read, and says the file is damaged', async () => {
		const text = 'some line of text\n'.repeat((3 * BLOB_SLICE) / 18 + 100);
		const a = await analyze({ name: 'gone.log', data: new WatchedBlob([text], 2 * BLOB_SLICE) });
		const before = Math.floor((2 * BLOB_SLICE) / 18);
		expect(a.files[0].lines).toBe(before + 1); // the cut line is flushed too
		expect(a.files[0].warnings.join(' ')).toMatch(
			new RegExp(`file is damaged: reading stopped after ${before + 1} lines \\(.*gone\\)`)
		);
	});
});

/** A Blob whose byte stream hands out its bytes in pieces of `piece`, then fails after `failAfter`. */
class StreamedBlob extends Blob {
	reads = 0;
	constructor(
		private readonly content: Uint8Array<ArrayBuffer>,
		private readonly piece: number,
		private readonly failAfter = Infinity
	) {
		super([content]);
	}
	override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
		let at = 0;
		return new ReadableStream({
			type: 'bytes',
			pull: (controller) => {
				const request = controller.byobRequest!;
				const view = request.view as Uint8Array;
				if (at >= this.failAfter) return controller.error(new Error('NotReadableError: gone'));
				if (at >= this.content.length) {
					controller.close();
					return request.respond(0);
				}
				const n = Math.min(view.length, this.piece, this.content.length - at);
				view.set(this.content.subarray(at, at + n));
				at += n;
				this.reads++;
				request.respond(n);
			}
		});
	}
}

describe('reading a Blob through its byte stream', () => {
	it('reads into BLOB_SLICE buffers, reused once the next chunk is asked for', async () => {
		const bytes = new Uint8Array(3 * BLOB_SLICE + 10).fill(0x61);
		const blob = new StreamedBlob(bytes, BLOB_SLICE);
		const sizes: number[] = [];
		const handed: Uint8Array[] = [];
		for await (const c of (await openSource(blob)).chunks) {
			sizes.push(c.length);
			handed.push(c);
		}
		expect(blob.reads).toBe(4);
		expect(sizes).toEqual([BLOB_SLICE, BLOB_SLICE, BLOB_SLICE, 10]);
		expect(handed.slice(1).every((c) => c.length === 0)).toBe(true);
	});

	it('splits pieces of any size like the bytes in one piece', async () => {
		const text = Array.from(
			{ length: 30_000 },
			(_, i) => `line ${i} ✓ ${'x'.repeat(i % 97)}\r\n`
		).join('');
		const bytes = enc.encode(text);
		const chunks: Uint8Array[] = [];
		for await (const c of (await openSource(new StreamedBlob(bytes, 65_537))).chunks)
			chunks.push(c.slice());
		expect(split(chunks).lines).toEqual(split([bytes]).lines);
	});

	it('keeps the lines before a read that fails, and says the file is damaged', async () => {
		const text = 'some line of text\n'.repeat((3 * BLOB_SLICE) / 18 + 100);
		const blob = new StreamedBlob(enc.encode(text), BLOB_SLICE, 2 * BLOB_SLICE);
		const a = await analyze({ name: 'gone.log', data: blob });
		const before = Math.floor((2 * BLOB_SLICE) / 18);
		expect(a.files[0].lines).toBe(before + 1); // the cut line is flushed too
		expect(a.files[0].warnings.join(' ')).toMatch(
			new RegExp(`file is damaged: reading stopped after ${before + 1} lines \\(.*gone\\)`)
		);
	});
});

describe('reading a positional file (the CLI in Node)', () => {
	/** A PositionalFile over bytes, counting its reads. */
	function positional(bytes: Uint8Array) {
		const file = {
			size: bytes.length,
			reads: 0,
			async read(position: number, length: number) {
				file.reads++;
				return bytes.slice(position, position + length);
			}
		};
		return file;
	}

	it('reads a log, a gzip file and a zip like the same bytes as a Blob', async () => {
		const log = enc.encode('a\r\nb ✓\n'.repeat(BLOB_SLICE / 4));
		const gz = new Uint8Array(gzipSync(Buffer.from(log)));
		for (const bytes of [log, gz, zipSync({ 'tracer.log': log })]) {
			const file = positional(bytes);
			const got = await analyze({ name: 'x', data: file });
			const want = await analyze({ name: 'x', data: new Blob([bytes]) });
			expect(got.files.map((f) => [f.name, f.lines, f.bytes, f.notes])).toEqual(
				want.files.map((f) => [f.name, f.lines, f.bytes, f.notes])
			);
			expect(file.reads).toBeGreaterThan(0);
		}
		const file = positional(log);
		const chunks: number[] = [];
		for await (const c of (await openSource(file)).chunks) chunks.push(c.length);
		expect(chunks.reduce((a, b) => a + b, 0)).toBe(log.length);
		expect(Math.max(...chunks)).toBe(BLOB_SLICE);
	});
});

describe('RecordGrouper', () => {
	it('loses only the record a parser throws on, never the lines after it', async () => {
		const { RecordGrouper } = await import('../../src/lib/core/records');
		const seen: number[] = [];
		const g = new RecordGrouper(
			(t) => t.startsWith(' '),
			(r) => {
				if (r.lines[0] === 'bad') throw new Error('odd');
				seen.push(r.start);
			}
		);
		for (const [i, t] of ['a', ' a2', 'bad', 'c', ' c2', 'd'].entries()) {
			try {
				g.line(t, i + 1);
			} catch {
				// the caller (analyze) contains it
			}
		}
		g.end();
		expect(seen).toEqual([1, 4, 6]);
	});
});
