// How long the worker takes to build a share link of a big log (npx tsx scripts/share-timing.ts
// [FILE.log.gz] [MB]). The page does none of this work: it runs in the worker, which holds the File.
// An excerpt of a plain file reads only its lines by byte offset; a gzip file is streamed once.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { analyze } from '../src/lib/core/index';
import { buildShare, gzipFile } from '../src/lib/worker/share';

const file =
	process.argv[2] || path.resolve(import.meta.dirname, '../../shared/bench/nodejs-200mb.log.gz');
const mb = Number(process.argv[3] ?? 200);
const raw = zlib.gunzipSync(fs.readFileSync(file)).subarray(0, mb * 1024 * 1024);
const text = raw.subarray(0, raw.lastIndexOf(10) + 1);
const ORIGIN = 'https://tracelens.example/';
console.log(`log: ${(text.length / 1048576).toFixed(0)} MB`);

for (const [what, data] of [
	['plain File (byte ranges)', new Blob([text])],
	['gzip File (streamed)', new Blob([zlib.gzipSync(text, { level: 1 })])]
] as const) {
	let t = performance.now();
	const analysis = await analyze([{ name: 'big.log', data }]);
	const analysed = performance.now() - t;
	const s = { analysis, inputs: [{ name: 'big.log', data }] };
	const ev = analysis.events.get(Math.floor(analysis.events.length / 2));
	const view = { selected: { file: 0, line: ev.line } };
	t = performance.now();
	const excerpt = await buildShare(s, { mode: 'excerpt', origin: ORIGIN, view, redact: {} });
	const excerptMs = performance.now() - t;
	t = performance.now();
	const whole = await buildShare(s, { mode: 'whole', origin: ORIGIN, redact: {} });
	const wholeMs = performance.now() - t;
	console.log(
		`${what}: analysis ${(analysed / 1000).toFixed(1)} s; excerpt link ${excerpt.length} chars in ${excerptMs.toFixed(0)} ms (${excerpt.files[0].keptLines} of ${excerpt.files[0].lines} lines); whole: ${whole.notBuilt ? 'not built (offer .log.gz)' : whole.length} in ${wholeMs.toFixed(0)} ms`
	);
	if (what.startsWith('gzip')) {
		t = performance.now();
		const gz = await gzipFile(s, 0, {});
		console.log(
			`  .log.gz, redacted (two passes): ${(gz.blob.size / 1048576).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`
		);
	}
}
