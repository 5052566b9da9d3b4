// Length of the default share link of every corpus sample (npx tsx scripts/permalink-sizes.ts).
// "default" is the Share dialog's default: the diagnosis excerpt, trimmed level by level until the
// link fits Discord's 2,000 characters; "level 0" is the untrimmed excerpt. Goal: 90% fit 2,000.
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../src/lib/core/index';
import {
	createShareLink,
	decodePermalink,
	editorFile,
	EXCERPT_LEVELS
} from '../src/lib/permalink/index';
import { corpusSamples } from '../tests/unit/corpus-files';

const ORIGIN = 'https://tracelens.example/';
const LIMIT = 2000;

const rows: {
	name: string;
	tracer: string;
	bytes: number;
	l0: number;
	fitted: number;
	level: number;
	whole: number;
	redacted: number;
	sameVerdict: boolean;
	dialog: number;
	dialogSameVerdict: boolean;
}[] = [];
for (const file of corpusSamples()) {
	const bytes = fs.readFileSync(file);
	const text = new TextDecoder().decode(bytes);
	const name = `${path.basename(path.dirname(file))}/${path.basename(file)}`;
	const analysis = await analyze({ name: path.basename(file), data: new Uint8Array(bytes) });
	const req = { texts: [text], source: analysis, origin: ORIGIN };
	const l0 = await createShareLink({ ...req, excerpt: EXCERPT_LEVELS[0] });
	const fitted = await createShareLink({ ...req, maxLength: LIMIT });
	const whole = await createShareLink({ ...req, mode: 'whole' });
	const redacted = await createShareLink({ ...req, maxLength: LIMIT, redact: {} });
	// does the shared text, analysed on its own, still give the same verdict?
	const shared = (await decodePermalink(fitted.hash)).envelope;
	const reread = await analyze(
		shared.files.map((f) => ({ name: f.name, data: editorFile(f).text })),
		{ tracer: shared.tracer === 'unknown' ? undefined : shared.tracer }
	);
	// as the Share dialog makes it by default: redacted, with an event of the middle selected and a
	// filter chip
	const middle = analysis.events.at(Math.floor(analysis.events.length / 2));
	const dialog = await createShareLink({
		...req,
		maxLength: LIMIT,
		redact: {},
		view: {
			selected: middle ? { file: middle.file, line: middle.line } : undefined,
			filters: [{ field: 'kind', value: middle?.kind ?? 'flush.error' }]
		}
	});
	const dShared = (await decodePermalink(dialog.hash)).envelope;
	const dReread = await analyze(
		dShared.files.map((f) => ({ name: f.name, data: editorFile(f).text })),
		{ tracer: dShared.tracer === 'unknown' ? undefined : dShared.tracer }
	);
	rows.push({
		name,
		tracer: analysis.tracer,
		bytes: bytes.length,
		l0: l0.length,
		fitted: fitted.length,
		level: fitted.complete ? -1 : fitted.level,
		whole: whole.length,
		redacted: redacted.length,
		sameVerdict: reread.verdict.status === analysis.verdict.status,
		dialog: dialog.length,
		dialogSameVerdict: dReread.verdict.status === analysis.verdict.status
	});
}

const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log(
	`${'sample'.padEnd(60)} ${pad('tracer', 8)} ${pad('bytes', 8)} ${pad('whole', 7)} ${pad('level0', 7)} ${pad('default', 7)} level verdict ${pad('dialog', 7)} verdict`
);
for (const r of rows) {
	console.log(
		`${r.name.padEnd(60)} ${pad(r.tracer, 8)} ${pad(r.bytes, 8)} ${pad(r.whole, 7)} ${pad(r.l0, 7)} ${pad(r.fitted, 7)} ${(r.level === -1 ? 'whole' : String(r.level)).padEnd(5)} ${(r.sameVerdict ? 'same' : 'DIFFERS').padEnd(7)} ${pad(r.dialog, 7)} ${r.dialogSameVerdict ? 'same' : 'DIFFERS'}`
	);
}
const share = (f: (r: (typeof rows)[number]) => boolean) =>
	`${rows.filter(f).length}/${rows.length} (${Math.round((100 * rows.filter(f).length) / rows.length)}%)`;
const detected = [...new Set(rows.filter((r) => r.tracer !== 'unknown').map((r) => r.tracer))];
console.log(
	`\nparsed tracers: ${detected.join(', ') || 'none (every sample analysed as unknown)'}`
);
console.log(`whole log ≤ ${LIMIT}:      ${share((r) => r.whole <= LIMIT)}`);
console.log(`level-0 excerpt ≤ ${LIMIT}: ${share((r) => r.l0 <= LIMIT)}`);
console.log(`default link ≤ ${LIMIT}:    ${share((r) => r.fitted <= LIMIT)}   (goal: 90%)`);
console.log(`default link ≤ 4000:    ${share((r) => r.fitted <= 4000)}`);
console.log(`redacted default ≤ ${LIMIT}: ${share((r) => r.redacted <= LIMIT)}`);
console.log(`shared text gives the same verdict: ${share((r) => r.sameVerdict)}`);
console.log(
	`dialog default (redacted, an event selected, a filter) ≤ ${LIMIT}: ${share((r) => r.dialog <= LIMIT)}; same verdict: ${share((r) => r.dialogSameVerdict)}`
);
const sorted = rows.map((r) => r.fitted).sort((a, b) => a - b);
console.log(
	`default link length: median ${sorted[Math.floor(sorted.length / 2)]}, p90 ${sorted[Math.floor(sorted.length * 0.9)]}, max ${sorted[sorted.length - 1]}`
);
