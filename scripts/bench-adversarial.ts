// ReDoS check for every parser: 10 MB adversarial lines built from real corpus prefixes followed by
// fillers that make backtracking regexes explode. Prints the slowest case per tracer; a benchmark,
// not a test (timings on a shared machine are only meaningful as ratios within one run).
//   npx tsx scripts/bench-adversarial.ts [MB]
import fs from 'node:fs';
import { analyze, TRACERS } from '../src/lib/core/index';
import { corpusSamples } from '../tests/unit/corpus-files';

const MB = Number(process.argv[2] ?? 10);
const FILLERS = [' ', '0', 'a', '=', 'a=b, ', '{"a":', '[', '\\"', ' at x.y(', ':1', '\t'];

function prefixesFor(tracer: string): string[] {
	const parser = TRACERS.find((t) => t.id === tracer)!;
	const scored: { line: string; score: number }[] = [];
	for (const f of corpusSamples(tracer)) {
		for (const line of fs.readFileSync(f, 'utf8').split('\n').slice(0, 400)) {
			const score = parser.detect(line);
			if (line.length > 0) scored.push({ line, score });
		}
	}
	// distinct message starts, strongest markers first
	const seen = new Set<string>();
	return scored
		.sort((a, b) => b.score - a.score)
		.map((s) => s.line.slice(0, Math.min(s.line.length, 160)))
		.filter((p) => !seen.has(p.slice(0, 60)) && seen.add(p.slice(0, 60)))
		.slice(0, 8);
}

async function timeOne(tracer: string, line: string): Promise<number> {
	const t = performance.now();
	await analyze({ name: 'adversarial.log', data: line + '\n' }, { tracer: tracer as never });
	return performance.now() - t;
}

const size = MB * 1024 * 1024;
const baseline = await timeOne('nodejs', 'x'.repeat(size)); // read + decode + split of the same size
const rows: { tracer: string; worstMs: number; worst: string; cases: number }[] = [];
for (const parser of TRACERS) {
	let worst = { ms: 0, what: '' };
	const prefixes = prefixesFor(parser.id);
	for (const prefix of prefixes) {
		for (const filler of FILLERS) {
			const line = prefix + filler.repeat(Math.ceil((size - prefix.length) / filler.length));
			const ms = await timeOne(parser.id, line);
			if (ms > worst.ms)
				worst = { ms, what: `${JSON.stringify(prefix.slice(0, 50))} + ${JSON.stringify(filler)}…` };
		}
	}
	rows.push({
		tracer: parser.id,
		worstMs: Math.round(worst.ms),
		worst: worst.what,
		cases: prefixes.length * FILLERS.length
	});
	console.log(
		`${parser.id.padEnd(7)} worst ${Math.round(worst.ms)} ms over ${prefixes.length * FILLERS.length} lines of ${MB} MB  (${worst.what})`
	);
}
console.log(`baseline (plain ${MB} MB line): ${Math.round(baseline)} ms`);
console.log(JSON.stringify({ mb: MB, baselineMs: Math.round(baseline), rows }));
