// The diagnosis excerpt: which lines it keeps, with their original numbers, and the way back from
// editor lines to original lines.
import { describe, expect, it } from 'vitest';
import { emptyAnalysis, EventStore, type Analysis, type LogEvent } from '../../src/lib/core/index';
import {
	buildExcerpt,
	editorFile,
	toEditorLine,
	toOriginalLine,
	type EventColumnsLike,
	type ShareFile
} from '../../src/lib/permalink/index';
import { EVENT_KINDS } from '../../src/lib/core/index';

const N = 1000;
const lines = Array.from(
	{ length: N },
	(_, i) => `2024-01-01 10:00:${String(i % 60).padStart(2, '0')} line ${i + 1}`
);

function event(id: number, kind: LogEvent['kind'], line: number, endLine = line): LogEvent {
	return { id, kind, file: 0, line, endLine, summary: kind, fields: {} };
}

function fakeAnalysis(): Analysis {
	const a = emptyAnalysis();
	a.files = [
		{
			name: 'app.log',
			bytes: 0,
			lines: N,
			tracer: 'nodejs',
			confidence: 1,
			detectedBy: [{ line: 300, text: lines[299] }],
			tracers: [],
			segments: [],
			hasTimes: true,
			warnings: [],
			notes: []
		}
	];
	a.events = EventStore.from([
		event(0, 'tracer.config', 100, 104),
		event(1, 'flush.error', 500),
		event(2, 'flush.error', 700, 702),
		event(3, 'span.finish', 850)
	]);
	a.verdict = {
		status: 'unreachable',
		summary: '',
		details: [],
		evidence: [
			{ file: 0, line: 500, label: 'first failure', event: 1 },
			{ file: 0, line: 700, label: 'last failure', event: 2 }
		]
	};
	return a;
}

function kept(f: ShareFile): number[] {
	const ef = editorFile(f);
	const out: number[] = [];
	for (let i = 0; i < ef.lines; i++)
		for (let k = 0; k < ef.times[i]; k++) out.push(ef.origin[i] + k);
	return out;
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('diagnosis excerpt', () => {
	it('keeps head, tail, configuration, evidence, detection and the selected event, with context', () => {
		const [f] = buildExcerpt([lines.join('\n')], fakeAnalysis(), {
			selected: { file: 0, line: 851 }
		});
		expect(f.lines).toBe(N);
		expect(f.bytes).toBe(Buffer.byteLength(lines.join('\n')));
		const want = [
			...range(1, 20),
			...range(97, 107), // config 100-104 ± 3
			...range(297, 303), // detection line
			...range(497, 503), // first failure
			...range(697, 705), // last failure 700-702
			...range(848, 854), // the selected line 851 (no event covers it; 850 is another line)
			...range(981, 1000)
		];
		expect(kept(f)).toEqual(want);
		for (const s of f.segments!) s.lines.forEach((l, i) => expect(l).toBe(lines[s.start - 1 + i]));
	});

	it('takes the whole selected event and caps a long multi-line event', () => {
		const a = fakeAnalysis();
		a.events = EventStore.from([...a.events, event(4, 'log.other', 400, 480)]);
		a.verdict.evidence = [];
		const [f] = buildExcerpt([lines.join('\n')], a, {
			selected: { file: 0, line: 410 },
			context: 0,
			head: 0,
			tail: 0,
			maxEventLines: 10
		});
		// a long event keeps its first and last lines (a stack trace ends with the error)
		expect(kept(f)).toEqual([...range(100, 104), 300, ...range(400, 404), ...range(476, 480)]);
	});

	it('reads the worker view columns as well as an Analysis', () => {
		const a = fakeAnalysis();
		const columns: EventColumnsLike = {
			count: a.events.length,
			kind: Uint8Array.from(a.events.map((e) => EVENT_KINDS.indexOf(e.kind))),
			file: Uint16Array.from(a.events.map((e) => e.file)),
			line: Int32Array.from(a.events.map((e) => e.line)),
			endLine: Int32Array.from(a.events.map((e) => e.endLine))
		};
		const text = [lines.join('\n')];
		expect(buildExcerpt(text, { ...a, events: columns })).toEqual(buildExcerpt(text, a));
	});

	it('collapses identical runs, says how many, and keeps numbering', () => {
		const text = ['start', ...Array(50).fill('retrying'), 'end', 'x', 'x', 'y'];
		const a = fakeAnalysis();
		a.events = new EventStore();
		a.verdict.evidence = [];
		a.files[0].detectedBy = [];
		const [f] = buildExcerpt([text.join('\n')], a);
		// head: lines 1-20, tail: lines 36-55
		expect(f.segments).toEqual([
			{ start: 1, lines: ['start', 'retrying'], repeats: [[1, 19]] },
			{
				start: 36,
				lines: ['retrying', 'end', 'x', 'y'],
				repeats: [
					[0, 16],
					[2, 2]
				]
			}
		]);
		const ef = editorFile(f);
		expect(kept(f)).toEqual([...range(1, 20), ...range(36, 55)]);
		expect(ef.text).toBe('start\nretrying\nretrying\nend\nx\ny');
		expect(Array.from(ef.times)).toEqual([1, 19, 16, 1, 2, 1]);
		expect(toEditorLine(ef, 15)).toBe(2);
		expect(toEditorLine(ef, 30)).toBeUndefined();
		expect(toEditorLine(ef, 40)).toBe(3);
		expect(toEditorLine(ef, 54)).toBe(5);
		expect(ef.gaps).toEqual([{ before: 3, from: 21, to: 35 }]);
		expect(toOriginalLine(ef, ef.lines)).toBe(text.length);
	});

	it('cuts long context lines but keeps key lines whole, and marks what it cut', () => {
		const long = lines.map((l, i) => (i === 1 || i === 499 ? l + ' ' + 'p'.repeat(5000) : l));
		const [f] = buildExcerpt([long.join('\n')], fakeAnalysis(), { maxLineChars: 100 });
		const ef = editorFile(f);
		const i2 = toEditorLine(ef, 2)! - 1;
		expect(ef.clippedFrom[i2]).toBe(long[1].length);
		expect(ef.text.split('\n')[i2]).toBe(long[1].slice(0, 100));
		const i500 = toEditorLine(ef, 500)! - 1;
		expect(ef.clippedFrom[i500]).toBe(0);
		expect(ef.text.split('\n')[i500]).toBe(long[499]);
	});

	it('keeps the first and last of many configuration records', () => {
		const a = fakeAnalysis();
		a.events = EventStore.from(range(1, 10).map((k, i) => event(i, 'tracer.config', k * 90)));
		a.verdict.evidence = [];
		const [f] = buildExcerpt([lines.join('\n')], a, {
			context: 0,
			head: 0,
			tail: 0,
			maxConfigRecords: 3
		});
		expect(kept(f)).toEqual([90, 180, 300, 900]);
	});

	it('handles CRLF, a missing final line break and an empty file', () => {
		const a = fakeAnalysis();
		a.events = new EventStore();
		a.verdict.evidence = [];
		a.files[0].detectedBy = [];
		a.files.push({ ...a.files[0], name: 'empty.log', detectedBy: [] });
		const [f, g] = buildExcerpt(['a\r\nb\rc\n', ''], a);
		expect(f).toMatchObject({ lines: 3, segments: [{ start: 1, lines: ['a', 'b', 'c'] }] });
		expect(g).toMatchObject({ name: 'empty.log', lines: 0, bytes: 0, segments: [] });
	});
});

describe('editor layout', () => {
	const file: ShareFile = {
		name: 'a.log',
		bytes: 999,
		lines: 100,
		segments: [
			{ start: 1, lines: ['one', 'two'] },
			{ start: 10, lines: ['ten', 'eleven..', 'fourteen'], repeats: [[1, 3]], clipped: [[1, 40]] },
			{ start: 50, lines: ['fifty'] }
		]
	};
	const ef = editorFile(file);

	it('joins the lines and maps every editor line to its original number', () => {
		expect(ef.text).toBe('one\ntwo\nten\neleven..\nfourteen\nfifty');
		expect(Array.from(ef.origin)).toEqual([1, 2, 10, 11, 14, 50]);
		expect(Array.from(ef.times)).toEqual([1, 1, 1, 3, 1, 1]);
		expect(Array.from(ef.clippedFrom)).toEqual([0, 0, 0, 40, 0, 0]);
		expect(ef.gaps).toEqual([
			{ before: 3, from: 3, to: 9 },
			{ before: 6, from: 15, to: 49 },
			{ before: 7, from: 51, to: 100 }
		]);
	});

	it('maps original lines back, exactly or to the nearest shown line', () => {
		expect(toEditorLine(ef, 1)).toBe(1);
		expect(toEditorLine(ef, 12)).toBe(4);
		expect(toEditorLine(ef, 13)).toBe(4);
		expect(toEditorLine(ef, 14)).toBe(5);
		expect(toEditorLine(ef, 5)).toBeUndefined();
		expect(toEditorLine(ef, 5, true)).toBe(3);
		expect(toEditorLine(ef, 99, true)).toBe(6);
		expect(toOriginalLine(ef, 6)).toBe(50);
		expect(toOriginalLine(ef, 7)).toBeUndefined();
	});

	it('lays out a whole log line for line', () => {
		const w = editorFile({ name: 'w', bytes: 5, lines: 3, text: 'a\nb\r\nc\n' });
		expect(w.whole).toBe(true);
		expect(w.text).toBe('a\nb\r\nc\n');
		expect(Array.from(w.origin)).toEqual([1, 2, 3]);
		expect(toEditorLine(w, 2)).toBe(2);
	});
});
