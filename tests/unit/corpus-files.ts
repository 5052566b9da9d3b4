// Where the shared corpus lives (read-only, beside the repository).
import fs from 'node:fs';
import path from 'node:path';

export const SHARED = path.resolve(import.meta.dirname, '../../../shared');
export const CORPUS = path.join(SHARED, 'corpus');

/** Every `<tracer>/<name>.log` that has an expected.json beside it. */
export function corpusSamples(tracer?: string): string[] {
	if (!fs.existsSync(CORPUS)) return [];
	const dirs = tracer ? [tracer] : fs.readdirSync(CORPUS).sort();
	return dirs.flatMap((d) =>
		fs
			.readdirSync(path.join(CORPUS, d))
			.filter(
				(f) =>
					f.endsWith('.log') &&
					fs.existsSync(path.join(CORPUS, d, f.replace(/\.log$/, '.expected.json')))
			)
			.sort()
			.map((f) => path.join(CORPUS, d, f))
	);
}
