// One file holding several tracers' logs (a `cat` of services' logs, two processes writing one
// file): each part is read by its own tracer's parser, and counts are the sum of the parts'.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	analyze,
	EVENT_KINDS,
	TRACERS,
	type Analysis,
	type Counts,
	type TracerParser
} from '../../src/lib/core/index';
import { MAX_SEGMENTS } from '../../src/lib/core/segments';
import type { Emitter } from '../../src/lib/core/tracers/types';
import { mixedFile, mixedPieces } from '../../scripts/mixed-file';
import { CORPUS, corpusSamples } from './corpus-files';

interface Expected {
	language: string;
	events: Partial<Counts>;
	detectableWithoutName?: boolean;
}

const expectedOf = (log: string): Expected =>
	JSON.parse(fs.readFileSync(log.replace(/\.log$/, '.expected.json'), 'utf8'));
const textOf = (log: string) => {
	const t = fs.readFileSync(log, 'utf8');
	return t.endsWith('\n') ? t : t + '\n';
};
const countsOf = (e: Expected): Counts =>
	Object.fromEntries(EVENT_KINDS.map((k) => [k, e.events[k] ?? 0])) as Counts;
const sum = (...all: Counts[]): Counts =>
	Object.fromEntries(EVENT_KINDS.map((k) => [k, all.reduce((n, c) => n + c[k], 0)])) as Counts;
const run = (text: string | Uint8Array, name = 'pasted.txt') =>
	analyze({ name, data: typeof text === 'string' ? new TextEncoder().encode(text) : text });
const tracersOf = (a: Analysis) => a.files[0].tracers.map((p) => p.tracer);

// samples a tracer can be told from without a file name, by tracer
const byTracer = new Map<string, string[]>();
for (const log of corpusSamples()) {
	if (expectedOf(log).detectableWithoutName === false) continue;
	const tracer = path.basename(path.dirname(log));
	byTracer.set(tracer, [...(byTracer.get(tracer) ?? []), log]);
}
const tracers = [...byTracer.keys()];
/** A different sample for each use, so the pairs cover many samples. */
const pick = (tracer: string, n: number) => {
	const list = byTracer.get(tracer)!;
	return list[n % list.length];
};

describe.skipIf(!fs.existsSync(CORPUS))('one file, several tracers', () => {
	it('a single-tracer log never switches, also inside application output', async () => {
		const app = '2026-11-26 10:00:01,123 INFO [main] app.server - listening on :8080\n';
		for (const log of corpusSamples()) {
			for (const text of [textOf(log), app.repeat(20) + textOf(log) + app.repeat(5)]) {
				const a = await run(text);
				const f = a.files[0];
				if (f.tracer === 'unknown') continue; // a sample with no marker
				expect(tracersOf(a), log).toEqual([f.tracer]);
				expect(f.segments, log).toEqual([
					{ tracer: f.tracer, firstLine: 1, lastLine: f.lines, events: a.events.length }
				]);
				expect(f.tracers[0]).toMatchObject({ lines: f.lines, events: a.events.length });
			}
		}
	});

	it('two tracers one after the other: each part its tracer, counts the sum', async () => {
		let n = 0;
		for (const a of tracers) {
			for (const b of tracers) {
				if (a === b) continue;
				const first = pick(a, n);
				const second = pick(b, n++);
				const r = await run(textOf(first) + textOf(second));
				const label = `${path.basename(first)} + ${path.basename(second)}`;
				expect(tracersOf(r).sort(), label).toEqual([a, b].sort());
				expect(r.counts, label).toEqual(
					sum(countsOf(expectedOf(first)), countsOf(expectedOf(second)))
				);
				const segments = r.files[0].segments;
				expect(segments.map((s) => s.tracer)).toEqual([a, b]);
				expect(segments[0].firstLine).toBe(1);
				expect(segments[1].lastLine).toBe(r.files[0].lines);
				expect(segments.reduce((k, s) => k + s.events, 0)).toBe(r.events.length);
			}
		}
	});

	it('three tracers one after the other', async () => {
		for (let i = 0; i < tracers.length; i++) {
			const logs = [0, 3, 5].map((k) => pick(tracers[(i + k) % tracers.length], i));
			const r = await run(logs.map(textOf).join(''));
			expect(tracersOf(r).sort()).toEqual(logs.map((l) => path.basename(path.dirname(l))).sort());
			expect(r.counts).toEqual(sum(...logs.map((l) => countsOf(expectedOf(l)))));
		}
	});

	it('blocks interleaved back and forth: each tracer resumes its own session', async () => {
		for (const [a, b] of [
			['nodejs', 'python'],
			['java', 'ruby'],
			['dotnet', 'go'],
			['php', 'cpp']
		]) {
			const [a1, a2, b1, b2] = [pick(a, 0), pick(a, 1), pick(b, 0), pick(b, 1)];
			const r = await run([a1, b1, a2, b2].map(textOf).join(''));
			// each tracer's parser reads its two blocks as one log
			const aAlone = await run(textOf(a1) + textOf(a2));
			const bAlone = await run(textOf(b1) + textOf(b2));
			expect(r.counts, `${a}/${b}`).toEqual(sum(aAlone.counts, bAlone.counts));
			expect(r.files[0].segments.map((s) => s.tracer)).toEqual([a, b, a, b]);
			const parts = Object.fromEntries(r.files[0].tracers.map((p) => [p.tracer, p]));
			expect(parts[a]).toMatchObject({ segments: 2, events: aAlone.events.length });
			expect(parts[b]).toMatchObject({ segments: 2, events: bAlone.events.length });
		}
	});

	it('the mixed bench file, small: all 8 tracers, counts the sum of its tracers runs', async () => {
		const bytes = 3 * 1024 * 1024; // the whole corpus and a little more
		const file = mixedFile(bytes);
		const whole = await run(new Uint8Array(fs.readFileSync(file)), path.basename(file));
		expect(tracersOf(whole).sort()).toEqual([...tracers].sort());
		// the pieces one by one, consecutive pieces of one tracer as one log (as that tracer's
		// parser reads them in the mixed file: a log cut short runs on into the next one)
		const runs: { tracer: string; pieces: Buffer[] }[] = [];
		for (const piece of mixedPieces(bytes)) {
			const { tracer } = await run(new Uint8Array(piece));
			const last = runs[runs.length - 1];
			if (last && (last.tracer === tracer || tracer === 'unknown')) last.pieces.push(piece);
			else runs.push({ tracer, pieces: [piece] });
		}
		const counts: Counts[] = [];
		for (const r of runs) counts.push((await run(new Uint8Array(Buffer.concat(r.pieces)))).counts);
		expect(whole.counts).toEqual(sum(...counts));
		expect(whole.files[0].segments.map((s) => s.tracer)).toEqual(runs.map((r) => r.tracer));
	});

	it('runs one detect() per line the current tracer claims, not one per tracer', async () => {
		let calls = 0;
		const counted: TracerParser[] = TRACERS.map((p) => ({
			...p,
			detect: (text: string) => {
				calls++;
				return p.detect(text);
			}
		}));
		const log = corpusSamples('nodejs').find((l) => l.endsWith('nodejs-6.21.0-ok.log'))!;
		const a = await analyze(
			{ name: 'x.log', data: new TextEncoder().encode(textOf(log)) },
			{
				parsers: counted
			}
		);
		expect(a.tracer).toBe('nodejs');
		expect(calls).toBeLessThan(a.files[0].lines * 2);
	});
});

describe.skipIf(!fs.existsSync(CORPUS))('the verdict of a file of several tracers', () => {
	const sample = (name: string) => corpusSamples().find((l) => l.endsWith(`/${name}`))!;

	it("pairs each tracer's sends with its own answers", async () => {
		// Node.js sends with no answer, then Java's accepted payload: Java's answer is not Node's
		const r = await run(
			textOf(sample('nodejs-6.21.0-hang.log')) + textOf(sample('docs-debug-logs-0x.log'))
		);
		const byTracer = (t: string) =>
			r.flushes.list.filter((f) => f.tracer === t).map((f) => f.status);
		expect(byTracer('nodejs')).toEqual(['unconfirmed', 'unconfirmed']);
		expect(byTracer('java')).toEqual(['ok']);
	});

	it("success logging is each tracer's own", async () => {
		// PHP logs no accepted payload (presumed accepted); Node.js does (unconfirmed)
		const r = await run(
			textOf(sample('nodejs-6.21.0-hang.log')) + textOf(sample('issue-1592-fpm-php8.log'))
		);
		const statuses = Object.fromEntries(r.flushes.list.map((f) => [f.tracer, f.status]));
		expect(statuses).toEqual({ nodejs: 'unconfirmed', php: 'presumed' });
		expect(r.files[0].tracers.find((p) => p.tracer === 'php')?.logsSuccess).toBe(false);
		expect(r.files[0].tracers.find((p) => p.tracer === 'nodejs')?.logsSuccess).toBe(true);
	});

	it("another tracer's accepted sends are not a recovery", async () => {
		const failing = textOf(sample('issue-2608-writer-connection-reset.log'));
		const r = await run(failing + textOf(sample('nodejs-6.21.0-ok.log')));
		expect(r.verdict.status).toBe('unreachable');
		expect(r.verdict.summary).toMatch(/could not be reached for 1 Java payload /);
		// not "nothing reached it": the other tracer's sends did
		expect(r.verdict.summary).toMatch(
			/Other tracers' payloads got through: 2 Node\.js payloads accepted\.$/
		);
		const details = r.verdict.details.join(' ');
		expect(details).toMatch(/holds the logs of 2 tracers: /);
		expect(details).toMatch(/Java \(1 line: 1 failed\)/);
		expect(details).toMatch(/Node\.js \(\d+ lines: 2 accepted\)/);
		// the same tracer's later success is one
		const again = await run(failing + textOf(sample('docs-debug-logs-0x.log')));
		expect(again.verdict.status).toBe('recovered');
	});

	it("each event knows the tracer that gave it: as many as the tracer's part counts", async () => {
		const r = await run(
			textOf(sample('nodejs-5.132.0-startuplogs-ok.log')) +
				textOf(sample('py-0.60.6-refused.log')) +
				textOf(sample('issue-2608-writer-connection-reset.log'))
		);
		const byTracer = new Map<string, number>();
		for (let i = 0; i < r.events.length; i++) {
			const t = r.events.tracerOf(i) ?? 'none';
			byTracer.set(t, (byTracer.get(t) ?? 0) + 1);
		}
		expect(Object.fromEntries(byTracer)).toEqual(
			Object.fromEntries(r.files[0].tracers.map((p) => [p.tracer, p.events]))
		);
	});

	it('names every failing tracer, and gives a period in lines when one end has no time', async () => {
		const r = await run(
			textOf(sample('nodejs-5.132.0-startuplogs-ok.log')) +
				textOf(sample('py-0.60.6-refused.log')) +
				textOf(sample('issue-2608-writer-connection-reset.log'))
		);
		expect(r.verdict.summary).toMatch(/ \d+ Python and Java payloads from line \d+ to line \d+\./);
	});

	it('the version is the main tracer’s, not the last one reported', async () => {
		const r = await run(
			textOf(sample('nodejs-6.21.0-ok.log')) + textOf(sample('py-0.60.6-ok.log'))
		);
		expect(r.files[0].tracer).toBe(r.files[0].tracers[0].tracer);
		expect(r.tracerVersion).toBe(r.files[0].tracers[0].tracerVersion);
	});

	it("each tracer keeps its own configuration; the analysis shows the main tracer's", async () => {
		const node = await run(textOf(sample('nodejs-5.132.0-startuplogs-ok.log')));
		const py = await run(textOf(sample('py-0.60.6-refused.log')));
		expect(Object.keys(node.config).length).toBeGreaterThan(0);
		expect(Object.keys(py.config).length).toBeGreaterThan(0);
		const both = await run(
			textOf(sample('nodejs-5.132.0-startuplogs-ok.log')) + textOf(sample('py-0.60.6-refused.log'))
		);
		const part = (t: string) => both.files[0].tracers.find((p) => p.tracer === t)!;
		expect(part('nodejs').config).toEqual(node.config);
		expect(part('python').config).toEqual(py.config);
		expect(part('nodejs').info).toEqual(node.info);
		expect(part('python').info).toEqual(py.info);
		const main = both.files[0].tracers[0];
		expect(both.info).toEqual({ ...both.files[0].tracers[1].info, ...main.info });
		for (const [k, v] of Object.entries(main.config)) expect(both.config[k]).toBe(v);
	});
});

/** A toy tracer: `<MARK>` decides it, `<name> hint` hints at it, `<name> ok` is a flush.ok. */
function toy(id: 'go' | 'ruby', name: string, mark: string): TracerParser {
	return {
		id,
		name,
		logsSuccess: true,
		detect: (t) => (t.includes(mark) ? 10 : t.startsWith(`${name} hint`) ? 2 : 0),
		createSession(out: Emitter) {
			return {
				line(text, lineNo) {
					if (text.startsWith(`${name} ok`) || text.startsWith(`${name} hint ok`))
						out.event({ kind: 'flush.ok', line: lineNo, summary: text });
				},
				end() {}
			};
		}
	};
}
const A = toy('go', 'A', 'A-MARK');
const B = toy('ruby', 'B', 'B-MARK');
const lines = (...l: string[]) => l.join('\n') + '\n';
const segmentsOf = (a: Analysis) =>
	a.files[0].segments.map((s) => `${s.tracer}:${s.firstLine}-${s.lastLine}`);

describe('routing lines between tracers', () => {
	it('switches on a decisive line; indented lines stay with the current tracer', async () => {
		const a = await analyze(
			lines('A-MARK', 'A ok', 'B-MARK', '  B-MARK in a stack frame', 'B ok', 'A-MARK', 'A ok'),
			{ parsers: [A, B] }
		);
		expect(segmentsOf(a)).toEqual(['go:1-2', 'ruby:3-5', 'go:6-7']);
		expect(a.files[0].tracers.map((p) => [p.tracer, p.lines, p.events, p.segments])).toEqual([
			['go', 4, 2, 2],
			['ruby', 3, 1, 1]
		]);
		expect(a.files[0].tracers[1].detectedBy).toEqual([{ line: 3, text: 'B-MARK' }]);
	});

	it("lines hinting at the next tracer before its decisive line are that tracer's", async () => {
		const a = await analyze(lines('A-MARK', 'A ok', 'B hint ok', 'app line', 'B-MARK', 'B ok'), {
			parsers: [A, B]
		});
		expect(segmentsOf(a)).toEqual(['go:1-2', 'ruby:3-6']);
		expect(a.flushes.list.map((f) => f.tracer)).toEqual(['go', 'ruby', 'ruby']);
		// and they stay the current tracer's when it claims the next line
		const b = await analyze(lines('A-MARK', 'B hint ok', 'A-MARK', 'B-MARK', 'B ok'), {
			parsers: [A, B]
		});
		expect(segmentsOf(b)).toEqual(['go:1-3', 'ruby:4-5']);
	});

	it('a line seen before under another tracer hints alike (scores are kept per line)', async () => {
		// `A hint ok` is first scored while A reads (its own score), then again while B reads
		const a = await analyze(
			lines('A-MARK', 'A hint ok', 'B-MARK', 'B ok', 'A hint ok', 'A-MARK', 'A ok'),
			{ parsers: [A, B] }
		);
		expect(segmentsOf(a)).toEqual(['go:1-2', 'ruby:3-4', 'go:5-7']);
		expect(a.flushes.list.map((f) => f.tracer)).toEqual(['go', 'ruby', 'go', 'go']);
	});

	it('switches after a late detection that reads the file again', async () => {
		const text = 'A ok\n' + 'app line\n'.repeat(60_000) + lines('A-MARK', 'A ok', 'B-MARK', 'B ok');
		const a = await analyze({ name: 'x.log', data: new Blob([text]) }, { parsers: [A, B] });
		expect(a.files[0].tracers.map((p) => [p.tracer, p.events])).toEqual([
			['go', 2],
			['ruby', 1]
		]);
		expect(a.events.get(0).line).toBe(1);
	});

	it('a forced tracer reads everything', async () => {
		const a = await analyze(lines('A-MARK', 'B-MARK', 'B ok'), { parsers: [A, B], tracer: 'go' });
		expect(segmentsOf(a)).toEqual(['go:1-3']);
	});

	it('a line-by-line interleave keeps exact per-tracer counts past the segment list cap', async () => {
		const pairs = MAX_SEGMENTS; // 2 segments per pair: twice the cap
		const a = await analyze(lines(...Array(pairs).fill('A-MARK A ok\nB-MARK B ok')), {
			parsers: [A, B]
		});
		const f = a.files[0];
		expect(f.segments).toHaveLength(MAX_SEGMENTS);
		expect(f.segmentsOmitted).toBe(pairs * 2 - MAX_SEGMENTS);
		expect(f.tracers.map((p) => [p.tracer, p.lines, p.segments])).toEqual([
			['go', pairs, pairs],
			['ruby', pairs, pairs]
		]);
	});
});
