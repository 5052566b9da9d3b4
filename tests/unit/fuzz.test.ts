// Property-based robustness: the input layer splits like a reference splitter for any bytes and any
// chunking, and no parser throws on mutated corpus lines or random text.
import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, LineSplitter, stripAnsi, TRACERS, type TracerId } from '../../src/lib/core/index';
import { corpusSamples } from './corpus-files';

function reference(bytes: Uint8Array): string[] {
	const text = new TextDecoder().decode(bytes);
	if (text === '') return [];
	const lines = text.split(/\r\n|\r|\n/);
	if (lines[lines.length - 1] === '') lines.pop();
	return lines;
}

function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
	const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
	const out: Uint8Array[] = [];
	let at = 0;
	for (const p of [...points, bytes.length]) {
		out.push(bytes.slice(at, p));
		at = p;
	}
	return out;
}

// bytes biased towards line breaks and multi-byte UTF-8 starts, and whole colour codes
const logBytes = fc.oneof(
	fc.constantFrom(10, 13, 0xc3, 0xa9, 0xe2, 0x9c, 0x93, 0xf0, 0x9f, 0x98, 0x80).map((b) => [b]),
	fc.integer({ min: 0, max: 255 }).map((b) => [b]),
	fc.constantFrom('\x1b[31m', '\x1b[0m', '\x1b[1;32m', '\x1b[').map((c) => [...Buffer.from(c)])
);

describe('input layer properties', () => {
	it('splits any bytes, cut anywhere, like the reference splitter (and strips colours like stripAnsi)', () => {
		fc.assert(
			fc.property(
				fc.array(logBytes, { maxLength: 300 }),
				fc.array(fc.nat(), { maxLength: 8 }),
				(bytes, cuts) => {
					const data = Uint8Array.from(bytes.flat());
					const got: string[] = [];
					const plain: string[] = [];
					const s = new LineSplitter((t) => got.push(t));
					const stripping = new LineSplitter((t) => plain.push(t), undefined, true);
					for (const c of chunked(data, cuts)) {
						s.push(c);
						stripping.push(c);
					}
					s.end();
					stripping.end();
					expect(got).toEqual(reference(data));
					expect(plain).toEqual(reference(data).map(stripAnsi));
				}
			),
			{ numRuns: 400 }
		);
	});
});

/** A few hundred real lines from every corpus folder, the raw material for mutations. */
function corpusLines(): string[] {
	const lines: string[] = [];
	for (const f of corpusSamples()) {
		const all = fs.readFileSync(f, 'utf8').split('\n');
		for (let i = 0; i < all.length && i < 40; i++) lines.push(all[i].slice(0, 4000));
	}
	return lines;
}

const mutate = (pool: string[]) =>
	fc
		.tuple(
			fc.constantFrom(...pool),
			fc.nat(),
			fc.nat(),
			fc.oneof(
				fc.string(),
				fc.constantFrom('{', '}', '[', '"', '\\', ':', '\t', ' at ', '\u0000', '\uFFFD')
			)
		)
		.map(([line, a, b, insert]) => {
			const i = a % (line.length + 1);
			const j = i + (b % 50);
			return line.slice(0, i) + insert + line.slice(j);
		});

describe('parsers never throw', () => {
	const pool = corpusLines();
	const ids = TRACERS.map((t) => t.id);
	it.skipIf(pool.length === 0)('on mutated corpus lines, for every tracer', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom<TracerId>(...ids),
				fc.array(fc.oneof(mutate(pool), fc.constantFrom(...pool), fc.string({ maxLength: 200 })), {
					maxLength: 30
				}),
				async (tracer, lines) => {
					const a = await analyze(lines.join('\n'), { tracer });
					expect(a.files[0].lines).toBeGreaterThanOrEqual(0);
				}
			),
			{ numRuns: 300 }
		);
	});

	it('on random text through detection', async () => {
		await fc.assert(
			fc.asyncProperty(fc.string({ maxLength: 2000, unit: 'binary' }), async (text) => {
				const a = await analyze(text);
				expect(a.verdict.summary.length).toBeGreaterThan(0);
			}),
			{ numRuns: 200 }
		);
	});
});
