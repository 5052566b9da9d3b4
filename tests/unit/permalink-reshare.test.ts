// Sharing from the worker with a file read in part (sparse lines), and sharing a shared excerpt
// again: the new link must keep the ORIGINAL line numbers.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/lib/core/index';
import {
	createShareLink,
	decodePermalink,
	editorFile,
	excerptMarks,
	EXCERPT_LEVELS,
	originalLineOf,
	prepareTexts,
	splitLines,
	toEditorLine,
	toOriginalFiles,
	type PreparedText,
	type ShareFile
} from '../../src/lib/permalink/index';
import { corpusSamples } from './corpus-files';

const ORIGIN = 'https://tracelens.example/';

/** Every original line an excerpt file holds, as [line number, text]. */
function shown(f: ShareFile): [number, string][] {
	const ef = editorFile(f);
	const text = splitLines(ef.text);
	const out: [number, string][] = [];
	for (let i = 0; i < ef.lines; i++) {
		for (let k = 0; k < ef.times[i]; k++) out.push([ef.origin[i] + k, text[i]]);
	}
	return out;
}

/** Only the lines the default excerpt reads, the others left as holes. */
function sparse(text: string, marks: Uint8Array): PreparedText {
	const full = prepareTexts([text])[0];
	const lines: string[] = new Array(full.lines.length);
	for (let l = 1; l <= full.lines.length; l++) if (marks[l]) lines[l - 1] = full.lines[l - 1];
	return { lines, bytes: full.bytes };
}

// a synthetic log with a repeated run, a long line and a gap-crossing run of identical lines
const LOG = [
	...Array.from({ length: 40 }, (_, i) => `line ${i + 1}`),
	...Array(30).fill('retry'),
	'x'.repeat(3000),
	...Array.from({ length: 200 }, (_, i) => `later ${i + 1}`)
].join('\n');

describe('sharing from a file read in part', () => {
	// the two largest samples of every tracer
	const samples = [...new Set(corpusSamples().map((f) => path.basename(path.dirname(f))))].flatMap(
		(t) =>
			corpusSamples(t)
				.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)
				.slice(0, 2)
	);
	it.each(samples.map((f) => [path.basename(f), f]))(
		'%s: sparse lines give the same link as the whole text, at every level',
		async (_name, file) => {
			const bytes = new Uint8Array(fs.readFileSync(file));
			const text = new TextDecoder().decode(bytes);
			const analysis = await analyze({ name: path.basename(file), data: bytes });
			const ev = analysis.events.get(Math.floor(analysis.events.length / 2));
			const view = ev ? { selected: { file: 0, line: ev.line } } : undefined;
			const marks = excerptMarks([splitLines(text).length], analysis, {
				...EXCERPT_LEVELS[0],
				selected: view?.selected
			});
			const prepared = [sparse(text, marks[0])];
			for (const excerpt of [undefined, ...EXCERPT_LEVELS]) {
				const full = await createShareLink({
					texts: [text],
					source: analysis,
					origin: ORIGIN,
					view,
					excerpt,
					redact: {}
				});
				const part = await createShareLink({
					texts: [],
					prepared,
					source: analysis,
					origin: ORIGIN,
					view,
					excerpt,
					redact: {}
				});
				if (full.complete && full.envelope.files[0].text !== undefined) {
					// the whole log fits: a caller with sparse lines cannot send it whole
					expect(part.envelope.files[0].segments).toBeDefined();
					continue;
				}
				expect(part.hash).toBe(full.hash);
			}
		}
	);
});

describe('sharing a shared excerpt again', () => {
	it('maps an excerpt of the excerpt back to the original numbers', async () => {
		const original = splitLines(LOG);
		const analysis = await analyze({ name: 'a.log', data: LOG });
		const first = await createShareLink({
			texts: [LOG],
			source: analysis,
			origin: ORIGIN,
			excerpt: { head: 45, tail: 5, context: 0, maxLineChars: 100 }
		});
		const ef = editorFile(first.envelope.files[0]);
		expect(ef.whole).toBe(false);
		// the receiver analyses the editor text; a new excerpt of it is in editor numbering
		const again = await analyze({ name: 'a.log', data: ef.text });
		for (const mode of ['excerpt', 'whole'] as const) {
			const link = await createShareLink({
				texts: [ef.text],
				source: again,
				origin: ORIGIN,
				mode,
				excerpt: mode === 'excerpt' ? { head: 3, tail: 3, context: 0 } : undefined,
				mapFiles: (files) => toOriginalFiles(files, [ef])
			});
			const f = (await decodePermalink(link.url)).envelope.files[0];
			expect(f.lines).toBe(original.length);
			expect(f.bytes).toBe(first.envelope.files[0].bytes);
			expect(f.text).toBeUndefined();
			for (const [n, text] of shown(f)) {
				// every line is the original's line n (cut lines: its beginning)
				expect(original[n - 1].startsWith(text), `line ${n}`).toBe(true);
			}
			if (mode === 'whole') {
				// the whole excerpt: the same lines as the first link, the same cut marks
				expect(shown(f)).toEqual(shown(first.envelope.files[0]));
				expect(editorFile(f).clippedFrom).toEqual(ef.clippedFrom);
			}
		}
	});

	it('keeps a run that the second excerpt collapsed across an original gap apart', () => {
		// editor lines 1-2 are original lines 5 and 9 with the same text
		const map = {
			whole: false,
			lines: 3,
			origin: Int32Array.from([5, 9, 10]),
			times: Int32Array.from([1, 1, 3]),
			clippedFrom: new Int32Array(3),
			originalLines: 20,
			originalBytes: 100
		};
		const [f] = toOriginalFiles(
			[
				{
					name: 'a',
					bytes: 9,
					lines: 3,
					segments: [{ start: 1, lines: ['a', 'b'], repeats: [[0, 2]] }]
				}
			],
			[map]
		);
		expect(f.segments).toEqual([
			{ start: 5, lines: ['a'] },
			{ start: 9, lines: ['a', 'b'], repeats: [[1, 3]] }
		]);
		expect(f).toMatchObject({ lines: 20, bytes: 100 });
		expect(originalLineOf(map, 2)).toBe(9);
		expect(originalLineOf(map, 3)).toBe(10);
		expect(originalLineOf(undefined, 7)).toBe(7);
	});

	it('finds the selected line of the original in the excerpt and back', async () => {
		const analysis = await analyze({ name: 'a.log', data: LOG });
		const link = await createShareLink({
			texts: [LOG],
			source: analysis,
			origin: ORIGIN,
			view: { selected: { file: 0, line: 150 } },
			excerpt: { head: 2, tail: 2, context: 1 }
		});
		const ef = editorFile(link.envelope.files[0]);
		const e = toEditorLine(ef, 150)!;
		expect(splitLines(ef.text)[e - 1]).toBe('later 79');
		expect(originalLineOf(ef, e)).toBe(150);
	});
});
