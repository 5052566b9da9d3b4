// Real tracer logs the shared corpus lacks, kept in tests/fixtures/<source>/: logs made with
// shared/tools/node-tracer-lab (nodejs-lab) and logs found in public bug reports (found-<tracer>).
// Each has an expected.json like the corpus's, checked by hand (its `source` and notes say how),
// with the verdict status and the Agent's address where the log decides them.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, type VerdictStatus } from '../../src/lib/core/index';
import { expectedCounts, samplesIn, type Expected } from './corpus-files';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

interface FixtureExpected extends Expected {
	verdict?: { status: VerdictStatus; names?: string };
}

const folders = fs
	.readdirSync(FIXTURES)
	.filter((d) => fs.statSync(path.join(FIXTURES, d)).isDirectory())
	.sort();

it('the node-tracer-lab logs are there', () => {
	expect(samplesIn(path.join(FIXTURES, 'nodejs-lab')).length).toBeGreaterThanOrEqual(7);
});

for (const folder of folders) {
	describe(folder, () => {
		for (const log of samplesIn(path.join(FIXTURES, folder))) {
			const expected: FixtureExpected = JSON.parse(
				fs.readFileSync(log.replace(/\.log$/, '.expected.json'), 'utf8')
			);
			const bytes = new Uint8Array(fs.readFileSync(log));
			it(path.basename(log), async () => {
				const names = [path.basename(log)];
				if (expected.detectableWithoutName !== false) names.push('pasted.txt');
				for (const name of names) {
					const a = await analyze({ name, data: bytes });
					expect(a.tracer).toBe(expected.language);
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
}
