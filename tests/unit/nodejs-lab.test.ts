// Real dd-trace-js logs from shared/tools/node-tracer-lab in versions and settings the corpus lacks
// (tests/fixtures/nodejs-lab): the counts of their expected.json, checked by hand against what the
// fake Agent received, and the verdict status and Agent address where the log decides them.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, type VerdictStatus } from '../../src/lib/core/index';
import { expectedCounts, samplesIn, type Expected } from './corpus-files';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/nodejs-lab');

interface LabExpected extends Expected {
	verdict?: { status: VerdictStatus; names?: string };
}

describe('node-tracer-lab logs', () => {
	const samples = samplesIn(FIXTURES);

	it('are there', () => {
		expect(samples.length).toBeGreaterThanOrEqual(7);
	});

	for (const log of samples) {
		const expected: LabExpected = JSON.parse(
			fs.readFileSync(log.replace(/\.log$/, '.expected.json'), 'utf8')
		);
		const bytes = new Uint8Array(fs.readFileSync(log));
		it(path.basename(log), async () => {
			for (const name of [path.basename(log), 'pasted.txt']) {
				const a = await analyze({ name, data: bytes });
				expect(a.tracer).toBe('nodejs');
				expect(a.counts).toEqual(expectedCounts(expected));
				if (!expected.verdict) continue;
				expect(a.verdict.status).toBe(expected.verdict.status);
				if (expected.verdict.names) {
					expect(a.verdict.summary).toContain(`Agent at ${expected.verdict.names} `);
				}
			}
		});
	}
});
