// analyze(): detection driving, late detection (second pass), progress, cancellation, input problems.
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { analyze, type TracerParser } from '../../src/lib/core/index';
import type { Emitter } from '../../src/lib/core/tracers/types';

/** A toy tracer: "TOY flush ok" / "TOY flush failed: reason" lines, "TOY-MARK" decides detection. */
function toyParser(logsSuccess = true): TracerParser {
	return {
		id: 'go',
		name: 'Toy',
		logsSuccess,
		detect: (t) => (t.includes('TOY-MARK') ? 10 : t.startsWith('TOY ') ? 1 : 0),
		createSession(out: Emitter) {
			return {
				line(text, lineNo) {
					if (text === 'TOY send')
						out.event({ kind: 'flush.attempt', line: lineNo, summary: 'send' });
					else if (text === 'TOY flush ok')
						out.event({ kind: 'flush.ok', line: lineNo, summary: 'ok' });
					else if (text.startsWith('TOY flush failed: '))
						out.event({
							kind: 'flush.error',
							line: lineNo,
							summary: text,
							fields: { reason: text.slice(18) }
						});
				},
				end() {}
			};
		}
	};
}

describe('analyze', () => {
	it('says unknown when no parser recognises anything', async () => {
		const a = await analyze('hello\nworld\n', { parsers: [toyParser()] });
		expect(a.tracer).toBe('unknown');
		expect(a.verdict.status).toBe('no-tracer-lines');
		expect(a.verdict.details.join(' ')).toMatch(/DD_TRACE_DEBUG=true/);
		expect(a.files[0].lines).toBe(2);
	});

	it('parses the lines seen before the deciding marker', async () => {
		const a = await analyze('TOY flush ok\napp line\nTOY-MARK\nTOY flush ok\n', {
			parsers: [toyParser()]
		});
		expect(a.tracer).toBe('go');
		expect(a.counts['flush.ok']).toBe(2);
		expect(a.files[0].detectedBy.map((d) => d.line)).toEqual([1, 3]);
		expect(a.verdict.status).toBe('ok');
	});

	it('reads the file again when the marker comes after the detection buffer', async () => {
		const text = 'TOY flush ok\n' + 'app line\n'.repeat(60_000) + 'TOY-MARK\nTOY flush ok\n';
		const a = await analyze({ name: 'x.log', data: new Blob([text]) }, { parsers: [toyParser()] });
		expect(a.counts['flush.ok']).toBe(2);
		expect(a.events.get(0).line).toBe(1);
	});

	it('falls back to the best weak evidence at the end', async () => {
		const a = await analyze('TOY flush failed: connect ECONNREFUSED 127.0.0.1:8126\n', {
			parsers: [toyParser()]
		});
		expect(a.tracer).toBe('go');
		expect(a.files[0].confidence).toBeLessThan(0.8);
		expect(a.verdict.status).toBe('unreachable');
	});

	it('reads time-ordered failure then success as recovered', async () => {
		const a = await analyze(
			'TOY-MARK\nTOY send\nTOY flush failed: connection refused\nTOY send\nTOY flush ok\n',
			{
				parsers: [toyParser()]
			}
		);
		expect(a.verdict.status).toBe('recovered');
		expect(a.flushes.list.map((f) => f.status)).toEqual(['failed', 'ok']);
		expect(a.verdict.evidence.map((e) => e.line)).toEqual([3, 5]);
	});

	it('marks a request with no answer unconfirmed, or presumed when the tracer never logs success', async () => {
		const text = 'TOY-MARK\nTOY send\n';
		expect((await analyze(text, { parsers: [toyParser(true)] })).verdict.status).toBe(
			'unconfirmed'
		);
		const presumed = await analyze(text, { parsers: [toyParser(false)] });
		expect(presumed.flushes.list[0].status).toBe('presumed');
	});

	it('analyses several files on one axis, each detected on its own', async () => {
		const a = await analyze(
			[
				{ name: 'a.log', data: 'TOY-MARK\nTOY flush ok\n' },
				{ name: 'b.log', data: 'nothing here\n' }
			],
			{ parsers: [toyParser()] }
		);
		expect(a.files.map((f) => f.tracer)).toEqual(['go', 'unknown']);
		expect(a.events.every((e) => e.file === 0)).toBe(true);
		expect(a.lineOffsets.length).toBe(2);
	});

	it('reports progress and can be cancelled', async () => {
		const text = 'TOY flush ok\n'.repeat(1_000_000); // 13 MB
		const seen: number[] = [];
		const done = await analyze(text, {
			parsers: [toyParser()],
			onProgress: (p) => seen.push(p.bytes)
		});
		expect(done.counts['flush.ok']).toBe(1_000_000);
		expect(seen.length).toBeGreaterThan(1);
		expect(seen[seen.length - 1]).toBe(text.length);
		const controller = new AbortController();
		const run = analyze(text, {
			parsers: [toyParser()],
			signal: controller.signal,
			onProgress: () => controller.abort()
		});
		await expect(run).rejects.toThrow(/cancelled/);
	});

	it('gives input problems as messages, not exceptions', async () => {
		const empty = await analyze({ name: 'e.log', data: new Uint8Array(0) });
		expect(empty.files[0].error?.code).toBe('empty');
		expect(empty.verdict.status).toBe('input-error');
		const bin = await analyze({
			name: 'b.bin',
			data: Uint8Array.from({ length: 999 }, (_, i) => i % 7)
		});
		expect(bin.verdict.summary).toMatch(/binary/);
	});

	it('groups spans into traces: first-seen order, exact span lists, services, times, root', async () => {
		// traceId spanId parentId service start duration error
		const rows = [
			'A a1 a0 s1 10 5 0', // parent not in the log: the root when no span has no parent
			'B b1 0000000000000000 s2 1 1 1',
			'A a2 a1 s2 5 2 0',
			'A a3 zz s1 20 1 0',
			'C c1 c2 s3 1 1 0',
			'C c2 - s3 1 1 0' // no parent: the root, though it comes after an orphan
		];
		const spans: TracerParser = {
			id: 'go',
			name: 'Spans',
			logsSuccess: true,
			detect: () => 10,
			createSession(out: Emitter) {
				return {
					line(text, lineNo) {
						const [traceId, spanId, parentId, service, start, duration, error] = text.split(' ');
						const ev = out.event({ kind: 'span.finish', line: lineNo, summary: spanId });
						out.span({
							traceId,
							spanId,
							parentId: parentId === '-' ? undefined : parentId,
							service,
							start: +start,
							duration: +duration,
							error: error === '1',
							line: lineNo,
							event: ev.id
						});
					},
					end() {}
				};
			}
		};
		const a = await analyze(rows.join('\n'), { parsers: [spans] });
		expect(a.traces.map((t) => t.traceId)).toEqual(['A', 'B', 'C']);
		const [ta, tb, tc] = a.traces;
		expect(ta).toMatchObject({ spans: [0, 2, 3], services: ['s1', 's2'], start: 5, end: 21 });
		expect(ta.rootSpan).toBe(0);
		expect(ta.error).toBe(false);
		expect(tb).toMatchObject({ spans: [1], rootSpan: 1, error: true });
		expect(tc).toMatchObject({ spans: [4, 5], services: ['s3'], rootSpan: 5 });
		// spans keep one shape, with the file filled in
		expect(a.spans.every((s) => Object.keys(s).length === 13 && s.file === 0)).toBe(true);
	});

	it('reads a gzip file', async () => {
		const gz = new Uint8Array(gzipSync(Buffer.from('TOY-MARK\nTOY flush ok\n')));
		const a = await analyze({ name: 'x.log.gz', data: gz }, { parsers: [toyParser()] });
		expect(a.counts['flush.ok']).toBe(1);
		expect(a.files[0].notes.join(' ')).toMatch(/gzip/);
	});

	it('keeps what a cut gzip file unpacked and says it is damaged', async () => {
		const gz = new Uint8Array(
			gzipSync(Buffer.from('TOY-MARK\n' + 'TOY flush ok\n'.repeat(50_000)))
		);
		const cut = gz.slice(0, Math.floor(gz.length * 0.6));
		const a = await analyze({ name: 'cut.log.gz', data: cut }, { parsers: [toyParser()] });
		expect(a.files[0].warnings.join(' ')).toMatch(
			/gzip file is damaged or cut short .* the \d+ lines unpacked before that are analysed/
		);
		expect(a.counts['flush.ok']).toBeGreaterThan(0);
		expect(a.counts['flush.ok']).toBeLessThan(50_000);
	});

	it('keeps what a small cut gzip file unpacked (the cut falls in the first chunk)', async () => {
		const gz = new Uint8Array(gzipSync(Buffer.from('TOY-MARK\n' + 'TOY flush ok\n'.repeat(2000))));
		const a = await analyze(
			{ name: 'c.gz', data: gz.slice(0, gz.length - 20) },
			{ parsers: [toyParser()] }
		);
		expect(a.files[0].error).toBeUndefined();
		expect(a.files[0].warnings.join(' ')).toMatch(/gzip file is damaged or cut short/);
		expect(a.counts['flush.ok']).toBeGreaterThan(1000);
	});

	it('says so when an archive holds no log at all', async () => {
		const { zipSync, strToU8 } = await import('fflate');
		const zip = zipSync({ 'config.yaml': strToU8('a: 1\n') });
		const a = await analyze({ name: 'flare.zip', data: zip });
		expect(a.files).toEqual([]);
		expect(a.verdict.status).toBe('input-error');
		expect(a.verdict.summary).toMatch(/flare\.zip: 0 log file\(s\) inside/);
	});

	it('names the Agent by host and port, a docs placeholder host whole', async () => {
		const toy = toyParser();
		const withEndpoint: TracerParser = {
			...toy,
			createSession(out) {
				return {
					line(text, lineNo) {
						if (text.startsWith('FAIL '))
							out.event({
								kind: 'flush.error',
								line: lineNo,
								summary: text,
								fields: { endpoint: text.slice(5), reason: 'connection refused' }
							});
					},
					end() {}
				};
			}
		};
		const a = await analyze('TOY-MARK\nFAIL http://<IP HERE>:8126/v0.4/traces\n', {
			parsers: [withEndpoint]
		});
		expect(a.verdict.summary).toMatch(/^The Agent at <IP HERE>:8126 could not be reached/);
		const b = await analyze('TOY-MARK\nFAIL http://10.0.0.7:8126/v0.4/traces\n', {
			parsers: [withEndpoint]
		});
		expect(b.verdict.summary).toMatch(/^The Agent at 10\.0\.0\.7:8126 could not be reached/);
	});

	it('contains a parser that throws: the line is lost, the file goes on, the summary says so', async () => {
		const toy = toyParser();
		const fragile: TracerParser = {
			...toy,
			createSession(out) {
				const inner = toy.createSession(out);
				return {
					line(text, lineNo, truncated) {
						if (text === 'BOOM') throw new Error('odd record');
						inner.line(text, lineNo, truncated);
					},
					end: () => inner.end()
				};
			}
		};
		const a = await analyze('TOY-MARK\nTOY flush ok\nBOOM\nTOY flush ok\nBOOM\n', {
			parsers: [fragile]
		});
		expect(a.counts['flush.ok']).toBe(2);
		expect(a.files[0].warnings.join(' ')).toMatch(
			/The Toy parser failed on 2 line\(s\) \(first at line 3: odd record\)/
		);
	});
});
