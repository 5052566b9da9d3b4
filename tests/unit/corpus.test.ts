// Every real log of ../shared/corpus gives the tracer and the counts of its expected.json
// (a kind missing from the file counts 0), with its file name and with the name withheld.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/lib/core/index';
import { CORPUS, corpusSamples, expectedCounts, type Expected } from './corpus-files';

const byTracer = new Map<string, string[]>();
for (const sample of corpusSamples()) {
	const tracer = path.basename(path.dirname(sample));
	byTracer.set(tracer, [...(byTracer.get(tracer) ?? []), sample]);
}

describe.skipIf(!fs.existsSync(CORPUS))('corpus', () => {
	for (const [tracer, samples] of byTracer) {
		describe(tracer, () => {
			for (const log of samples) {
				const expected: Expected = JSON.parse(
					fs.readFileSync(log.replace(/\.log$/, '.expected.json'), 'utf8')
				);
				const bytes = new Uint8Array(fs.readFileSync(log));
				it(`${path.basename(log)} (named)`, async () => {
					const a = await analyze({ name: path.basename(log), data: bytes });
					expect(a.tracer).toBe(expected.language);
					expect(a.counts).toEqual(expectedCounts(expected));
				});
				it(`${path.basename(log)} (name withheld)`, async () => {
					const a = await analyze({ name: 'pasted.txt', data: bytes });
					if (expected.detectableWithoutName !== false) expect(a.tracer).toBe(expected.language);
					else expect(['unknown', expected.language]).toContain(a.tracer);
					if (a.tracer === expected.language) expect(a.counts).toEqual(expectedCounts(expected));
				});
			}
		});
	}
});
