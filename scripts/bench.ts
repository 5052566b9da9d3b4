// Throughput of analyze() against a bare floor (read the same file through the same reader as
// analyze, openSource over the CLI's positional file reader, decode UTF-8 and split lines with the core's LineSplitter,
// nothing else), on two files: the real 200 MB Node.js
// tracer debug log, and the mixed-tracer file built from the corpus (scripts/mixed-file.ts). When
// lnav is installed, its indexing of each file is timed too (`lnav -n -c ';SELECT count(*) FROM
// all_logs' FILE`). Then the peak memory of one analysis of a ~1 GB log (five copies of the Node.js
// log) is read in a process of its own.
// A benchmark, not a test: the machine is shared, so the floor, analyze and lnav run alternately a
// few times and the best of each is reported. Ends with one JSON line for tools.
//   npm run bench [-- ROUNDS] [--no-memory]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { analyze, EVENT_KINDS, LineSplitter, openSource, type Counts } from '../src/lib/core/index';
import { openFile } from '../src/cli/file';
import { mixedFile } from './mixed-file';

const SHARED = path.resolve(import.meta.dirname, '../../shared');
const GZ = path.join(SHARED, 'bench/nodejs-200mb.log.gz');
const EXPECTED = path.join(SHARED, 'bench/nodejs-200mb.expected.json');
const MIXED_BYTES = 200 * 1024 * 1024;
const MEMORY_COPIES = 5;
/** The goal for the peak memory of one analysis, as a share of the file size. */
const MEMORY_GOAL = 0.5;

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

/** `copies` copies of `file` one after the other, cached beside it. */
function repeated(file: string, copies: number): string {
	const out = file.replace(/\.log$/, `-x${copies}.log`);
	const size = fs.statSync(file).size * copies;
	if (fs.existsSync(out) && fs.statSync(out).size === size) return out;
	const part = `${out}.${process.pid}.part`;
	process.stdout.write(`writing ${copies} copies of ${path.basename(file)} to ${out} … `);
	const buffer = Buffer.alloc(8 << 20);
	const to = fs.openSync(part, 'w');
	for (let i = 0; i < copies; i++) {
		const from = fs.openSync(file, 'r');
		for (let n; (n = fs.readSync(from, buffer)) > 0;) fs.writeSync(to, buffer, 0, n);
		fs.closeSync(from);
	}
	fs.closeSync(to);
	fs.renameSync(part, out);
	console.log('done');
	return out;
}

async function floor(file: string): Promise<number> {
	const t = performance.now();
	const splitter = new LineSplitter(() => {});
	const data = await openFile(file);
	for await (const chunk of (await openSource(data)).chunks) {
		splitter.push(chunk);
	}
	splitter.end();
	await data.close();
	return performance.now() - t;
}

interface Run {
	ms: number;
	counts: Counts;
	tracer: string;
	/** Every tracer found, main one first, with its events. */
	tracers: string;
	events: number;
}

async function run(file: string): Promise<Run> {
	const t = performance.now();
	const data = await openFile(file);
	const a = await analyze({ name: path.basename(file), data });
	await data.close();
	const tracers = a.files
		.flatMap((f) => f.tracers)
		.map((p) => `${p.tracer} ${p.events}`)
		.join(', ');
	return {
		ms: performance.now() - t,
		counts: a.counts,
		tracer: a.tracer,
		tracers,
		events: a.events.length
	};
}

function hasLnav(): boolean {
	return spawnSync('lnav', ['-V'], { encoding: 'utf8' }).status === 0;
}

/** Milliseconds lnav takes to index the file and answer, and the count it gives. */
function lnav(file: string): { ms: number; rows: number | undefined } {
	const t = performance.now();
	const r = spawnSync('lnav', ['-n', '-c', ';SELECT count(*) FROM all_logs', file], {
		encoding: 'utf8',
		maxBuffer: 1 << 20
	});
	const ms = performance.now() - t;
	if (r.status !== 0) throw new Error(`lnav failed: ${r.stderr || r.status}`);
	const rows = Number(/(\d+)\s*$/.exec(r.stdout)?.[1]);
	return { ms, rows: Number.isNaN(rows) ? undefined : rows };
}

const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);
const round2 = (n: number) => Math.round(n * 100) / 100;

/** One analysis of `file` in this process; prints its peak memory as JSON (the child's side). */
async function memoryOf(file: string): Promise<void> {
	// what the runtime (node, tsx and the loaded modules) holds before any analysis
	const baselineRssMb = Math.round(process.memoryUsage().rss / 1e6);
	const t = performance.now();
	const data = await openFile(file);
	const a = await analyze({ name: path.basename(file), data });
	await data.close();
	const ms = performance.now() - t;
	console.log(
		JSON.stringify({
			ms: Math.round(ms),
			events: a.events.length,
			spans: a.spans.length,
			heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
			peakRssMb: Math.round((process.resourceUsage().maxRSS * 1024) / 1e6),
			baselineRssMb
		})
	);
}

if (process.argv[2] === '--memory') {
	await memoryOf(process.argv[3]);
	process.exit(0);
}

const args = process.argv.slice(2);
const ROUNDS = Math.max(1, Number(args.find((a) => /^\d+$/.test(a)) ?? 3));
const MEMORY = !args.includes('--no-memory');

if (!fs.existsSync(GZ)) {
	console.error(`bench file not found: ${GZ}`);
	process.exit(1);
}
const expected: Expected = JSON.parse(fs.readFileSync(EXPECTED, 'utf8'));
const cases = [
	{ label: 'nodejs', file: await decompressed() },
	{ label: 'mixed', file: mixedFile(MIXED_BYTES) }
];
const withLnav = hasLnav();
if (!withLnav) console.log('lnav is not installed: no comparison with it');

interface Best {
	bytes: number;
	floor: number;
	analyze: number;
	lnav: number;
	lnavRows?: number;
	last?: Run;
}
const best = new Map<string, Best>(
	cases.map((c) => [
		c.label,
		{ bytes: fs.statSync(c.file).size, floor: Infinity, analyze: Infinity, lnav: Infinity }
	])
);
for (let i = 0; i < ROUNDS; i++) {
	for (const c of cases) {
		const b = best.get(c.label)!;
		const f = await floor(c.file);
		b.floor = Math.min(b.floor, f);
		const r = await run(c.file);
		b.analyze = Math.min(b.analyze, r.ms);
		b.last = r;
		let line = `round ${i + 1} ${c.label.padEnd(6)}: floor ${mbps(b.bytes, f).toFixed(0)} MB/s (${f.toFixed(0)} ms), analyze ${mbps(b.bytes, r.ms).toFixed(0)} MB/s (${r.ms.toFixed(0)} ms)`;
		if (withLnav) {
			const l = lnav(c.file);
			b.lnav = Math.min(b.lnav, l.ms);
			b.lnavRows = l.rows;
			line += `, lnav ${mbps(b.bytes, l.ms).toFixed(0)} MB/s (${l.ms.toFixed(0)} ms)`;
		}
		console.log(line);
	}
}

const node = best.get('nodejs')!;
const mismatches: string[] = [];
if (node.last!.tracer !== expected.language) {
	mismatches.push(`tracer: got ${node.last!.tracer}, expected ${expected.language}`);
}
for (const kind of EVENT_KINDS) {
	const want = expected.events[kind] ?? 0;
	const got = node.last!.counts[kind];
	if (got !== want) mismatches.push(`${kind}: got ${got}, expected ${want}`);
}

function summary(label: string, b: Best) {
	const ratio = b.floor / b.analyze;
	console.log(
		`${label.padEnd(6)}  floor ${mbps(b.bytes, b.floor).toFixed(0)} MB/s, analyze ${mbps(b.bytes, b.analyze).toFixed(0)} MB/s, ratio ${ratio.toFixed(2)} (goal 0.5)` +
			(withLnav
				? `; lnav ${mbps(b.bytes, b.lnav).toFixed(0)} MB/s: analyze takes ${(b.analyze / b.lnav).toFixed(2)}× lnav's time (goal < 1)`
				: '')
	);
	return {
		mbps: Math.round(mbps(b.bytes, b.analyze)),
		floorMbps: Math.round(mbps(b.bytes, b.floor)),
		ratio: round2(ratio),
		lnav: withLnav
			? {
					mbps: Math.round(mbps(b.bytes, b.lnav)),
					ms: Math.round(b.lnav),
					rows: b.lnavRows ?? null,
					analyzeOverLnav: round2(b.analyze / b.lnav)
				}
			: null
	};
}
console.log(`best of ${ROUNDS}:`);
const nodeResult = summary('nodejs', node);
const mixed = best.get('mixed')!;
const mixedResult = summary('mixed', mixed);
console.log(
	`        mixed: ${(mixed.bytes / 1e6).toFixed(0)} MB, ${mixed.last!.events} events, tracers (events): ${mixed.last!.tracers}`
);
if (mismatches.length) console.log(`count mismatches:\n  ${mismatches.join('\n  ')}`);
else console.log('counts match nodejs-200mb.expected.json');

let memory: Record<string, number> | null = null;
if (MEMORY) {
	const big = repeated(cases[0].file, MEMORY_COPIES);
	const size = fs.statSync(big).size;
	const child = spawnSync(
		process.execPath,
		['--import', 'tsx', import.meta.filename, '--memory', big],
		{ encoding: 'utf8', maxBuffer: 1 << 20 }
	);
	if (child.status !== 0) throw new Error(`memory run failed: ${child.stderr}`);
	const m = JSON.parse(child.stdout.trim().split('\n').pop()!);
	memory = {
		mb: Math.round(size / 1e6),
		ms: m.ms,
		events: m.events,
		heapMb: m.heapMb,
		peakRssMb: m.peakRssMb,
		ratio: round2((m.peakRssMb * 1e6) / size),
		baselineRssMb: m.baselineRssMb,
		analysisRatio: round2(((m.peakRssMb - m.baselineRssMb) * 1e6) / size)
	};
	console.log(
		`memory  one analysis of ${memory.mb} MB (${MEMORY_COPIES} copies): peak RSS ${memory.peakRssMb} MB = ${memory.ratio}× the file (goal < ${MEMORY_GOAL}); the process held ${memory.baselineRssMb} MB before the analysis, so the analysis itself took ${memory.peakRssMb - memory.baselineRssMb} MB = ${memory.analysisRatio}×; heap after ${memory.heapMb} MB, ${memory.ms} ms`
	);
}

console.log(
	JSON.stringify({
		file: path.basename(GZ),
		...{ mbps: nodeResult.mbps, floorMbps: nodeResult.floorMbps, ratio: nodeResult.ratio },
		peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
		countsMatch: mismatches.length === 0,
		lnav: nodeResult.lnav,
		mixed: {
			file: path.basename(cases[1].file),
			mbps: mixedResult.mbps,
			floorMbps: mixedResult.floorMbps,
			ratio: mixedResult.ratio,
			tracer: mixed.last!.tracer,
			tracers: mixed.last!.tracers,
			events: mixed.last!.events,
			lnav: mixedResult.lnav
		},
		memory
	})
);
