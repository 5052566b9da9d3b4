// Windows of a file's lines read through the analysis' line offsets: the same lines as the file,
// whatever its line breaks, byte-order mark, compression or encoding.
import { gzipSync } from 'node:zlib';
import { zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/lib/core/index';
import { placeFiles, unpack, zipCap } from '../../src/lib/worker/scale';
import { buildView } from '../../src/lib/worker/view';
import { accessOf, pickLines, readWindow } from '../../src/lib/worker/window';

const LIMITS = { before: 2000, after: 3000, maxBytes: 4 * 1024 * 1024, maxLineBytes: 256 * 1024 };

const LINES = Array.from({ length: 500 }, (_, i) =>
	i % 7 === 3 ? `line ${i + 1} é ünïcödé ✓` : `line ${i + 1} ${'x'.repeat(i % 13)}`
);
const BREAKS = ['\n', '\r\n', '\r'];
const TEXT = LINES.map((l, i) => l + BREAKS[i % 3]).join('');

async function windowOf(data: Blob, first: number, last: number, maxLineBytes = 1 << 20) {
	const a = await analyze({ name: 'x.log', data });
	const access = await accessOf(data, a.files[0].bytes);
	const w = await readWindow(
		data,
		access,
		a.lineOffsets[0],
		a.files[0].bytes,
		0,
		first,
		last,
		maxLineBytes
	);
	return { w, access, lines: a.files[0].lines };
}

describe('windows of lines', () => {
	it('a plain file is sliced: any range gives the same lines, every line break kind', async () => {
		const { w, access, lines } = await windowOf(new Blob([TEXT]), 1, 500);
		expect(access).toEqual({ kind: 'slice', shift: 0 });
		expect(lines).toBe(500);
		expect(w.text).toBe(LINES.join('\n'));
		for (const [a, b] of [
			[1, 1],
			[2, 3],
			[137, 222],
			[499, 500],
			[480, 900]
		]) {
			const r = (await windowOf(new Blob([TEXT]), a, b)).w;
			expect(r.first).toBe(a);
			expect(r.last).toBe(Math.min(500, b));
			expect(r.text).toBe(LINES.slice(a - 1, Math.min(500, b)).join('\n'));
		}
	});

	it('a byte-order mark shifts the slice; gzip and UTF-16 are read through the decoder', async () => {
		const bom = await windowOf(new Blob([new Uint8Array([0xef, 0xbb, 0xbf]), TEXT]), 10, 20);
		expect(bom.access).toEqual({ kind: 'slice', shift: 3 });
		expect(bom.w.text).toBe(LINES.slice(9, 20).join('\n'));

		const gz = await windowOf(new Blob([gzipSync(TEXT)]), 400, 410);
		expect(gz.access.kind).toBe('stream');
		expect(gz.w.text).toBe(LINES.slice(399, 410).join('\n'));

		const utf16 = new Uint8Array(2 + TEXT.length * 2);
		utf16.set([0xff, 0xfe]);
		for (let i = 0; i < TEXT.length; i++) {
			utf16[2 + i * 2] = TEXT.charCodeAt(i) & 0xff;
			utf16[3 + i * 2] = TEXT.charCodeAt(i) >> 8;
		}
		const u = await windowOf(new Blob([utf16]), 3, 12);
		expect(u.access.kind).toBe('stream');
		expect(u.w.text).toBe(LINES.slice(2, 12).join('\n'));
	});

	it('an over-long line is cut at the cap and said so; the lines after it stay right', async () => {
		const long = 'L'.repeat(100_000);
		const text = `a\n${long}\nb\nc\n`;
		const { w } = await windowOf(new Blob([text]), 1, 4, 1000);
		expect(w.text).toBe(`a\n${'L'.repeat(1000)}\nb\nc`);
		expect(w.cut).toEqual([{ line: 2, bytes: 100_001, shown: 1000 }]);
	});

	it('picks lines around the anchor within the byte budget', () => {
		const offsets = Float64Array.from({ length: 10_000 }, (_, i) => i * 100);
		const total = 1_000_000;
		expect(pickLines(offsets, total, 5000, LIMITS)).toEqual({ first: 3000, last: 8000 });
		expect(pickLines(offsets, total, 1, LIMITS)).toEqual({ first: 1, last: 3001 });
		const tight = { ...LIMITS, maxBytes: 1000 };
		const p = pickLines(offsets, total, 5000, tight);
		expect(p.last - p.first + 1).toBe(10);
		expect(p.first).toBeLessThanOrEqual(5000);
		expect(p.last).toBeGreaterThanOrEqual(5000);
		expect(pickLines(new Float64Array(0), 0, 1, LIMITS)).toEqual({ first: 1, last: 0 });
	});
});

describe('archives unpacked in the worker', () => {
	it('every log of a flare becomes a Blob the page can read; windows come from it', async () => {
		const flare = zipSync({
			'tracer/tracer_begin.log': strToU8('begin 1\nbegin 2\n'),
			'tracer/tracer_end.log': strToU8('end 1\nend 2\nend 3\n')
		});
		const unpacked = await unpack([{ name: 'flare.zip', data: new Blob([flare]) }, 'pasted\n']);
		expect(unpacked.sources.map((s) => s.name)).toEqual([
			'flare.zip/tracer/tracer_begin.log',
			'flare.zip/tracer/tracer_end.log',
			'input-2'
		]);
		expect(unpacked.origin).toEqual([0, 0, 1]);
		expect(unpacked.entries[0]).toBeInstanceOf(Blob);
		expect(unpacked.entries[2]).toBeNull();
		const analysis = await analyze(unpacked.sources);
		expect(analysis.files[1].gapBefore).toMatch(/gap/);
		const view = buildView(analysis, 1, 0);
		const windows = placeFiles(analysis, view, unpacked);
		expect(view.notes.join(' ')).toMatch(/flare\.zip: 2 log file\(s\) inside/);
		expect(view.origin).toEqual([0, 0, 1]);
		expect((await windows.read(1, 2))?.text).toBe('end 1\nend 2\nend 3');
		expect((await windows.read(2, 1))?.text).toBe('pasted');
		// the page sends an unpacked log back with its gap: the gap stays
		const again = await analyze(
			(await unpack([{ name: 'end.log', data: unpacked.entries[1]!, gapBefore: 'gap!' }])).sources
		);
		expect(again.files[0].gapBefore).toBe('gap!');
	});

	it('a zip bomb is stopped far below the core cap when it inflates too well', async () => {
		expect(zipCap(100_000)).toBe(64 * 1024 * 1024);
		expect(zipCap(100 * 1024 * 1024)).toBe(1024 * 1024 * 1024);
		const bomb = zipSync({ 'big.log': new Uint8Array(80 * 1024 * 1024) }, { level: 9 });
		expect(bomb.length).toBeLessThan(200_000);
		const unpacked = await unpack([{ name: 'bomb.zip', data: new Blob([bomb]) }]);
		expect(unpacked.notes.join(' ')).toMatch(/zip bomb/);
		expect(unpacked.sources.reduce((n, s) => n + (s.data as Blob).size, 0)).toBeLessThanOrEqual(
			64 * 1024 * 1024
		);
	});
});
