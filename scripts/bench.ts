// Throughput of analyze() on a real 200 MB Node.js tracer debug log, against a bare floor (read the
// same file as a stream, decode UTF-8 and split lines with the core's LineSplitter, nothing else).
// A benchmark, not a test: the machine is shared, so floor and analyze run alternately a few times
// and the best of each is reported. Ends with one JSON line for tools.
//   npm run bench [-- ROUNDS]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { analyze, EVENT_KINDS, LineSplitter, type Counts } from '../src/lib/core/index';

const SHARED = path.resolve(import.meta.dirname, '../../shared');
const GZ = path.join(SHARED, 'bench/nodejs-200mb.log.gz');
const EXPECTED = path.join(SHARED, 'bench/nodejs-200mb.expected.json');
const ROUNDS = Math.max(1, Number(process.argv[2] ?? 3));

interface Expected {
	language: string;
	events: Partial<Counts>;
}

/** The decompressed log, cached in the temp folder under a name keyed by the archive's size. */
async function decompressed(): Promise<string> {
	const gzSize = fs.statSync(GZ).size;
	const file = path.join(os.tmpdir(), `tracelens-bench-nodejs-${gzSize}.log`);
	// written under another name and renamed when complete, so an existing file is whole
	if (fs.existsSync(file) && fs.statSync(file).size > 0) return file;
	const part = `${file}.${process.pid}.part`;
	process.stdout.write(`decompressing ${path.basename(GZ)} to ${file} … `);
	await pipeline(fs.createReadStream(GZ), createGunzip(), fs.createWriteStream(part));
	fs.renameSync(part, file);
	console.log('done');
	return file;
}

async function floor(file: string): Promise<number> {
	const t = performance.now();
	const splitter = new LineSplitter(() => {});
	const reader = (await fs.openAsBlob(file)).stream().getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		splitter.push(value);
	}
	splitter.end();
	return performance.now() - t;
}

async function run(file: string): Promise<{ ms: number; counts: Counts; tracer: string }> {
	const t = performance.now();
	const a = await analyze({ name: path.basename(file), data: await fs.openAsBlob(file) });
	return { ms: performance.now() - t, counts: a.counts, tracer: a.tracer };
}

if (!fs.existsSync(GZ)) {
	console.error(`bench file not found: ${GZ}`);
	process.exit(1);
}
const expected: Expected = JSON.parse(fs.readFileSync(EXPECTED, 'utf8'));
const file = await decompressed();
const mb = fs.statSync(file).size / 1e6;

let bestFloor = Infinity;
let bestRun = Infinity;
let last: Awaited<ReturnType<typeof run>> | undefined;
for (let i = 0; i < ROUNDS; i++) {
	const f = await floor(file);
	bestFloor = Math.min(bestFloor, f);
	last = await run(file);
	bestRun = Math.min(bestRun, last.ms);
	console.log(
		`round ${i + 1}: floor ${(mb / (f / 1000)).toFixed(0)} MB/s (${f.toFixed(0)} ms), analyze ${(mb / (last.ms / 1000)).toFixed(0)} MB/s (${last.ms.toFixed(0)} ms)`
	);
}

const mismatches: string[] = [];
if (last!.tracer !== expected.language) {
	mismatches.push(`tracer: got ${last!.tracer}, expected ${expected.language}`);
}
for (const kind of EVENT_KINDS) {
	const want = expected.events[kind] ?? 0;
	const got = last!.counts[kind];
	if (got !== want) mismatches.push(`${kind}: got ${got}, expected ${want}`);
}
const mbps = mb / (bestRun / 1000);
const floorMbps = mb / (bestFloor / 1000);
const ratio = mbps / floorMbps;
console.log(`floor   ${floorMbps.toFixed(0)} MB/s (best of ${ROUNDS})`);
console.log(`analyze ${mbps.toFixed(0)} MB/s (best of ${ROUNDS})`);
console.log(`ratio   ${ratio.toFixed(2)}`);
if (mismatches.length) console.log(`count mismatches:\n  ${mismatches.join('\n  ')}`);
else console.log('counts match nodejs-200mb.expected.json');
console.log(
	JSON.stringify({
		file: path.basename(GZ),
		mbps: Math.round(mbps),
		floorMbps: Math.round(floorMbps),
		ratio: Math.round(ratio * 100) / 100,
		peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
		countsMatch: mismatches.length === 0
	})
);
