// tracelens on the command line: the same core as the page.
//   npm run -s analyze -- [--json] FILE...
import fs from 'node:fs';
import path from 'node:path';
import {
	analyze,
	EVENT_KINDS,
	TRACER_IDS,
	type Analysis,
	type Source,
	type TracerId
} from '../lib/core/index';
import { openFile, type OpenFile } from './file';

const USAGE = `usage: tracelens [--json] [--each] [--tracer ID] FILE...
  --json      print one JSON document (the analysis of all files on one time axis)
  --each      analyse every file on its own (with --json: a JSON array, one document per file)
  --tracer ID skip detection: ${TRACER_IDS.join(', ')}`;

function fail(message: string, code = 2): never {
	process.stderr.write(`tracelens: ${message}\n`);
	process.exit(code);
}

/** The CLI's JSON document (DESIGN.md "The CLI contract"). */
export function toJson(a: Analysis) {
	return {
		tracer: a.tracer,
		tracerVersion: a.tracerVersion ?? null,
		files: a.files.map((f) => ({
			name: f.name,
			bytes: f.bytes,
			lines: f.lines,
			tracer: f.tracer,
			confidence: f.confidence,
			tracerVersion: f.tracerVersion ?? null,
			detectedBy: f.detectedBy,
			tracers: f.tracers,
			segments: f.segments,
			segmentsOmitted: f.segmentsOmitted ?? 0,
			hasTimes: f.hasTimes,
			warnings: f.warnings,
			notes: f.notes,
			gapBefore: f.gapBefore ?? null,
			error: f.error ?? null
		})),
		counts: a.counts,
		events: a.events.toArray(),
		spans: a.spans.toArray(),
		traces: a.traces.toArray(),
		flushes: {
			attempts: a.flushes.attempts,
			ok: a.flushes.ok,
			failed: a.flushes.failed,
			unconfirmed: a.flushes.unconfirmed
		},
		config: a.config,
		info: a.info,
		notes: a.notes,
		verdict: a.verdict
	};
}

function human(a: Analysis): string {
	const out: string[] = [];
	out.push(a.verdict.summary);
	for (const d of a.verdict.details) out.push('  ' + d);
	if (a.verdict.evidence.length) {
		out.push('  evidence: ' + a.verdict.evidence.map((e) => `${e.label} L${e.line}`).join(', '));
	}
	out.push('');
	for (const n of a.notes) out.push(`note: ${n}`);
	for (const f of a.files) {
		const version = f.tracerVersion ? ` ${f.tracerVersion}` : '';
		out.push(
			`${f.name}: ${f.tracer}${version} (confidence ${f.confidence}), ${f.lines} lines, ${f.bytes} bytes`
		);
		if (f.tracers.length > 1) {
			for (const p of f.tracers) {
				const v = p.tracerVersion ? ` ${p.tracerVersion}` : '';
				out.push(
					`  ${p.tracer}${v}: ${p.lines} lines in ${p.segments} stretch(es), ${p.events} events`
				);
			}
		}
		if (f.gapBefore) out.push(`  gap: ${f.gapBefore}`);
		for (const w of f.warnings) out.push(`  warning: ${w}`);
		for (const n of f.notes) out.push(`  note: ${n}`);
	}
	out.push('');
	const width = Math.max(...EVENT_KINDS.map((k) => k.length));
	for (const k of EVENT_KINDS) out.push(`  ${k.padEnd(width)}  ${a.counts[k]}`);
	return out.join('\n') + '\n';
}

async function main(argv: string[]): Promise<void> {
	let json = false;
	let each = false;
	let tracer: TracerId | undefined;
	const files: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--json') json = true;
		else if (arg === '--each') each = true;
		else if (arg === '--tracer') {
			const id = argv[++i];
			if (!TRACER_IDS.includes(id as TracerId)) fail(`unknown tracer ${id ?? ''}\n${USAGE}`);
			tracer = id as TracerId;
		} else if (arg === '-h' || arg === '--help') {
			process.stdout.write(USAGE + '\n');
			return;
		} else if (arg.startsWith('-')) fail(`unknown option ${arg}\n${USAGE}`);
		else files.push(arg);
	}
	if (!files.length) fail(USAGE);
	const sources: Source[] = [];
	for (const file of files) {
		let stat: fs.Stats;
		try {
			stat = fs.statSync(file);
		} catch (e) {
			fail(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
		}
		if (!stat.isFile()) fail(`cannot read ${file}: not a regular file`);
		try {
			fs.accessSync(file, fs.constants.R_OK);
			sources.push({ name: path.basename(file), data: await openFile(file) });
		} catch (e) {
			fail(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
		}
	}
	const groups = each ? sources.map((s) => [s]) : [sources];
	const results: Analysis[] = [];
	for (const group of groups) {
		const analysis = await analyze(group, { tracer });
		for (const f of analysis.files) {
			if (f.error) process.stderr.write(`tracelens: ${f.name}: ${f.error.message}\n`);
		}
		if (analysis.files.every((f) => f.error)) {
			if (!each) process.exit(1);
			continue;
		}
		results.push(analysis);
	}
	await Promise.all(sources.map((s) => (s.data as OpenFile).close()));
	if (!results.length) process.exit(1);
	if (json) {
		const docs = results.map(toJson);
		process.stdout.write(JSON.stringify(each ? docs : docs[0]) + '\n');
	} else process.stdout.write(results.map(human).join('\n'));
}

main(process.argv.slice(2)).catch((e) => fail(e instanceof Error ? e.message : String(e), 1));
