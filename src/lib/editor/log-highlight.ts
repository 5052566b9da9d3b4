// Log highlighting as a CodeMirror extension: levels, timestamps, tracer prefixes, ids and error
// names get a class. It only looks at the visible part of the document, so a 20 MB log costs the
// same as a short one, and it never changes the text.
import { RangeSetBuilder } from '@codemirror/state';
import {
	Decoration,
	ViewPlugin,
	type DecorationSet,
	type EditorView,
	type ViewUpdate
} from '@codemirror/view';

/** The classes a token gets, by group name of TOKEN below. */
const CLASSES = {
	time: 'tl-time',
	error: 'tl-level-error',
	warn: 'tl-level-warn',
	info: 'tl-level-info',
	debug: 'tl-level-debug',
	prefix: 'tl-prefix',
	id: 'tl-id',
	problem: 'tl-problem',
	url: 'tl-url'
} as const;

// One scan per line with alternatives in priority order. No nested quantifiers (no ReDoS).
const TOKEN = new RegExp(
	[
		// 2024-01-02 10:11:12,345 +00:00 | 2021/08/17 17:46:22 | 2026-11-26T09:23:40.055274Z
		String.raw`(?<time>\d{4}[-/]\d{2}[-/]\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,:]\d{1,9})?(?: ?(?:Z|UTC|[+-]\d{2}:?\d{2}))?)`,
		String.raw`(?<error>\b(?:ERROR|FATAL|CRITICAL|SEVERE|ERR|FTL|CRIT)\b|\[(?:error|crit|alert|emerg)\])`,
		String.raw`(?<warn>\b(?:WARN|WARNING|WRN)\b|\[warn\])`,
		String.raw`(?<info>\b(?:INFO|INF|NOTICE)\b|\[(?:info|notice)\])`,
		String.raw`(?<debug>\b(?:DEBUG|TRACE|DBG|VRB|VERBOSE)\b|\[debug\])`,
		// tracer prefixes and markers of each tracer
		String.raw`(?<prefix>\[dd\.trace [^\]]{0,60}\]|datadog\.trace(?:\.[\w$]+){0,8}|Datadog\.Trace(?:\.\w+){0,6}|Datadog Tracer v[\w.-]+|DATADOG (?:TRACER )?(?:CONFIGURATION|DIAGNOSTICS?)|\[datadog\]|\bddtrace(?:\.\w+){0,6}|\bdd-trace\b|nginx-datadog:|\[RC\]|DogStatsDClient|Request to the agent:|Response from the agent:|Encoding (?:payload|trace):)`,
		String.raw`(?<url>\b(?:https?|unix):\/\/[^\s"',)\]}]{1,200})`,
		String.raw`(?<problem>\b(?:E(?:CONNREFUSED|CONNRESET|HOSTUNREACH|NETUNREACH|TIMEDOUT|AI_AGAIN|NOTFOUND|PIPE))\b|\b\w{0,40}(?:Exception|Error)\b|[Cc]onnection refused|[Tt]imed out)`,
		// trace and span ids: 16 or 32 hex digits, 15-39 decimal digits
		String.raw`(?<id>\b(?:[0-9a-f]{32}|[0-9a-f]{16}|\d{15,39})\b)`
	].join('|'),
	'g'
);

/** Characters of one line that are looked at; the rest of a huge line stays plain. */
const SCAN_LIMIT = 1500;

const marks = Object.fromEntries(
	Object.entries(CLASSES).map(([k, cls]) => [k, Decoration.mark({ class: cls })])
) as Record<keyof typeof CLASSES, Decoration>;

function build(view: EditorView): DecorationSet {
	const builder = new RangeSetBuilder<Decoration>();
	const doc = view.state.doc;
	let lastLine = 0;
	for (const { from, to } of view.visibleRanges) {
		let pos = from;
		while (pos <= to) {
			const line = doc.lineAt(pos);
			if (line.number > lastLine) {
				lastLine = line.number;
				const text = line.text.length > SCAN_LIMIT ? line.text.slice(0, SCAN_LIMIT) : line.text;
				TOKEN.lastIndex = 0;
				for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
					if (m[0].length === 0) {
						TOKEN.lastIndex++;
						continue;
					}
					const groups = m.groups!;
					const name = (Object.keys(CLASSES) as (keyof typeof CLASSES)[]).find(
						(k) => groups[k] !== undefined
					);
					if (name)
						builder.add(line.from + m.index, line.from + m.index + m[0].length, marks[name]);
				}
			}
			pos = line.to + 1;
		}
	}
	return builder.finish();
}

function touchesView(u: ViewUpdate): boolean {
	let touches = false;
	const ranges = u.view.visibleRanges;
	u.changes.iterChangedRanges((_fa, _ta, from, to) => {
		for (const r of ranges) if (from <= r.to && to >= r.from) touches = true;
	});
	return touches;
}

/** Highlights Datadog tracer debug logs (any tracer) in the visible part of the editor. */
export function ddLog() {
	return ViewPlugin.fromClass(
		class {
			decorations: DecorationSet;
			constructor(view: EditorView) {
				this.decorations = build(view);
			}
			update(u: ViewUpdate) {
				if (u.viewportChanged || (u.docChanged && touchesView(u))) {
					this.decorations = build(u.view);
				} else if (u.docChanged) {
					// text added out of sight (a file still loading): the marks only move
					this.decorations = this.decorations.map(u.changes);
				}
			}
		},
		{ decorations: (v) => v.decorations }
	);
}

/** For tests: the token classes found in one line of text. */
export function tokenClasses(text: string): { text: string; cls: string }[] {
	const out: { text: string; cls: string }[] = [];
	TOKEN.lastIndex = 0;
	for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
		const name = (Object.keys(CLASSES) as (keyof typeof CLASSES)[]).find(
			(k) => m!.groups![k] !== undefined
		);
		if (name) out.push({ text: m[0], cls: CLASSES[name] });
	}
	return out;
}
