// Where the shared corpus lives (read-only, beside the repository), and how a sample's
// expected.json is read.
import fs from 'node:fs';
import path from 'node:path';
import { EVENT_KINDS, type Counts } from '../../src/lib/core/index';

export const SHARED = path.resolve(import.meta.dirname, '../../../shared');
export const CORPUS = path.join(SHARED, 'corpus');

export interface Expected {
	language: string;
	events: Partial<Counts>;
	detectableWithoutName?: boolean;
}

/** Every count of an expected.json (a kind missing from the file counts 0). */
export function expectedCounts(e: Expected): Counts {
	return Object.fromEntries(EVENT_KINDS.map((k) => [k, e.events[k] ?? 0])) as Counts;
}

/** Every `<name>.log` of a folder that has a `<name>.expected.json` beside it. */
export function samplesIn(dir: string): string[] {
	return fs
		.readdirSync(dir)
		.filter(
			(f) =>
				f.endsWith('.log') && fs.existsSync(path.join(dir, f.replace(/\.log$/, '.expected.json')))
		)
		.sort()
		.map((f) => path.join(dir, f));
}

/** Every `<tracer>/<name>.log` that has an expected.json beside it. */
export function corpusSamples(tracer?: string): string[] {
	if (!fs.existsSync(CORPUS)) return [];
	const dirs = tracer ? [tracer] : fs.readdirSync(CORPUS).sort();
	return dirs.flatMap((d) => samplesIn(path.join(CORPUS, d)));
}
