// Routing a file's lines to several tracers' parsers: one file may hold the logs of several
// tracers (a `cat` of services' logs, a flattened support bundle, two processes writing one file).
import { DECIDED, EVIDENCE_LINES, decidedConfidence, scoreOf } from './detect';
import type { Segment, TracerPart } from './model';
import type { EventStore } from './store';
import { detach } from './tracers/common';
import type { ParserSession, TracerParser } from './tracers/types';

/** Segments listed in a FileSummary; past this only their count is kept (a line-by-line interleave). */
export const MAX_SEGMENTS = 1000;
/** Lines held back while they may open another tracer's log (see `held`). */
const MAX_HELD_LINES = 1000;
const MAX_HELD_CHARS = 4 * 1024 * 1024;
/**
 * Every parser's score of recent lines not decisive for their tracer: logs repeat such lines
 * (`no traceparent header`, span dump fields) and detect() depends on the text alone. One line a
 * slot, the slot picked from the length and a few characters (cheaper than hashing the line).
 */
const SCORED_SLOTS = 1024;
const MAX_SCORED_CHARS = 400;

function slotOf(text: string): number {
	const n = text.length;
	return (
		(n * 31 +
			text.charCodeAt(n - 1) * 7 +
			text.charCodeAt(n >> 1) * 3 +
			text.charCodeAt(n >> 2) +
			text.charCodeAt((n * 3) >> 2) * 5) &
		(SCORED_SLOTS - 1)
	);
}

interface Route {
	parser: TracerParser;
	part: TracerPart;
	session: ParserSession;
}

/**
 * Sends every line to the current tracer's session. A line that is decisive for another tracer
 * and not for the current one switches to that tracer for the lines that follow; each tracer keeps
 * its own session until the file ends, so switching back resumes it. Indented and blank lines
 * (continuations) are never checked: they stay with the current record.
 *
 * A log often opens with lines that only hint at its tracer (Python's `Queuing trace …`) before
 * a decisive one. So a line not decisive for the current tracer but hinting at another is held
 * back, with the lines after it, until the current tracer claims a line (they are its own) or the
 * hinted tracer is decided (from the first line hinting at it on, they are the new tracer's).
 */
export class TracerRouter {
	private readonly routes: Route[] = [];
	private current: Route | undefined;
	/** First line of every segment and the index of its route: every switch, uncapped. */
	private readonly starts: number[] = [];
	private readonly owners: number[] = [];
	/** Lines held back, in order, each with the parsers (bit i: this.parsers[i]) it hints at. */
	private held: { text: string; lineNo: number; truncated: boolean; hints: number }[] = [];
	private heldChars = 0;

	/**
	 * @param open a guarded session for `parser` reporting into `part`
	 * @param switching false when the tracer was forced: one parser reads everything
	 */
	constructor(
		private readonly parsers: readonly TracerParser[],
		private readonly open: (parser: TracerParser, part: TracerPart) => ParserSession,
		private readonly switching = true
	) {}

	/** Starts with the tracer detection settled on, from line 1. */
	start(parser: TracerParser, confidence: number, detectedBy: TracerPart['detectedBy']): void {
		this.switchTo(this.route(parser, confidence, detectedBy), 1);
	}

	line(text: string, lineNo: number, truncated: boolean): void {
		// > 32: not blank, not indented; one detect() for lines the current tracer claims
		if (this.switching && text.charCodeAt(0) > 32) {
			const own = scoreOf(this.current!.parser, text);
			if (own >= DECIDED) this.release();
			else if (this.check(text, lineNo, own)) {
				// switched: this line is the new tracer's
			} else if (this.hints !== 0 || this.held.length) {
				this.hold(text, lineNo, truncated, this.hints);
				return;
			}
		} else if (this.held.length) {
			this.hold(text, lineNo, truncated, 0);
			return;
		}
		this.current!.session.line(text, lineNo, truncated);
	}

	/** The parsers the last checked line hints at (bit i: this.parsers[i]). */
	private hints = 0;

	private readonly scoredText: (string | undefined)[] = new Array(SCORED_SLOTS).fill(undefined);
	private readonly scoredScores: number[][] = new Array(SCORED_SLOTS).fill([]);

	/** Every parser's score of `text`, a line scoring `own` for the current tracer. */
	private scores(text: string, own: number): number[] {
		const slot = text.length <= MAX_SCORED_CHARS ? slotOf(text) : -1;
		if (slot >= 0 && this.scoredText[slot] === text) return this.scoredScores[slot];
		const scores = this.parsers.map((p) => (p === this.current!.parser ? own : scoreOf(p, text)));
		if (slot >= 0) {
			// a copy: a slice of the reader's window would keep the whole window alive
			this.scoredText[slot] = detach(text);
			this.scoredScores[slot] = scores;
		}
		return scores;
	}

	/** Switches when `text` is decisive for another tracer; else records its hints. */
	private check(text: string, lineNo: number, own: number): boolean {
		const scores = this.scores(text, own);
		let hints = 0;
		for (let i = 0; i < this.parsers.length; i++) {
			const parser = this.parsers[i];
			if (parser === this.current!.parser) continue;
			const s = scores[i];
			if (s <= 0) continue;
			if (s < DECIDED) {
				hints |= 1 << i;
				continue;
			}
			// registry order breaks ties, as in detection
			let route = this.routes.find((r) => r.parser === parser);
			const evidence = { line: lineNo, text: text.slice(0, 300) };
			if (!route) {
				route = this.route(parser, decidedConfidence(s), [evidence]);
			} else if (route.part.detectedBy.length < EVIDENCE_LINES) {
				route.part.detectedBy.push(evidence);
			}
			// held lines from the first one hinting at the new tracer on are its own
			const held = this.held;
			const from = held.findIndex((h) => h.hints & (1 << i));
			const mine = from < 0 ? held.length : from;
			for (let k = 0; k < mine; k++) {
				this.current!.session.line(held[k].text, held[k].lineNo, held[k].truncated);
			}
			this.switchTo(route, mine < held.length ? held[mine].lineNo : lineNo);
			for (let k = mine; k < held.length; k++) {
				route.session.line(held[k].text, held[k].lineNo, held[k].truncated);
			}
			this.held = [];
			this.heldChars = 0;
			return true;
		}
		this.hints = hints;
		return false;
	}

	private hold(text: string, lineNo: number, truncated: boolean, hints: number): void {
		this.held.push({ text, lineNo, truncated, hints });
		this.heldChars += text.length;
		if (this.held.length > MAX_HELD_LINES || this.heldChars > MAX_HELD_CHARS) this.release();
	}

	/** The held lines were the current tracer's after all. */
	private release(): void {
		if (!this.held.length) return;
		for (const h of this.held) this.current!.session.line(h.text, h.lineNo, h.truncated);
		this.held = [];
		this.heldChars = 0;
	}

	private route(
		parser: TracerParser,
		confidence: number,
		detectedBy: TracerPart['detectedBy']
	): Route {
		const part: TracerPart = {
			tracer: parser.id,
			confidence: Math.round(confidence * 100) / 100,
			detectedBy,
			lines: 0,
			events: 0,
			segments: 0,
			logsSuccess: undefined,
			info: {},
			config: {}
		};
		const route = { parser, part, session: this.open(parser, part) };
		this.routes.push(route);
		return route;
	}

	private switchTo(route: Route, lineNo: number): void {
		this.current = route;
		const owner = this.routes.indexOf(route);
		const { starts, owners } = this;
		let last = starts.length - 1;
		// the held lines were the whole last segment: it was never the old tracer's
		if (last >= 0 && starts[last] === lineNo) {
			this.routes[owners[last]].part.segments--;
			starts.pop();
			owners.pop();
			last--;
		}
		if (last >= 0 && owners[last] === owner) return; // the segment before goes on
		starts.push(lineNo);
		owners.push(owner);
		route.part.segments++;
	}

	/**
	 * Ends every session and accounts for the file's lines and events (`events` from `first` on,
	 * in any order). In a file of several tracers each flush event is tagged with its tracer, so
	 * attempts are paired with their own tracer's outcomes.
	 */
	end(
		lines: number,
		events: EventStore,
		first: number
	): { tracers: TracerPart[]; segments: Segment[]; segmentsOmitted: number } {
		this.release();
		for (const r of this.routes) r.session.end();
		for (const r of this.routes) r.part.logsSuccess ??= r.parser.logsSuccess;
		const { starts, owners, routes } = this;
		const n = starts.length;
		const segments: Segment[] = [];
		for (let i = 0; i < n; i++) {
			const lastLine = i + 1 < n ? starts[i + 1] - 1 : Math.max(lines, starts[i]);
			routes[owners[i]].part.lines += lastLine - starts[i] + 1;
			if (i < MAX_SEGMENTS) {
				segments.push({
					tracer: routes[owners[i]].parser.id,
					firstLine: starts[i],
					lastLine,
					events: 0
				});
			}
		}
		if (routes.length === 1) {
			routes[0].part.events = events.length - first;
			if (segments.length) segments[0].events = events.length - first;
		} else {
			for (let i = first; i < events.length; i++) {
				const line = events.line[i];
				// the segment holding the event's first line: its record started under that tracer
				let lo = 0;
				let hi = n - 1;
				while (lo < hi) {
					const mid = (lo + hi + 1) >> 1;
					if (starts[mid] <= line) lo = mid;
					else hi = mid - 1;
				}
				const route = routes[owners[lo]];
				route.part.events++;
				if (lo < MAX_SEGMENTS) segments[lo].events++;
				const kind = events.kindOf(i);
				if (kind === 'flush.attempt' || kind === 'flush.ok' || kind === 'flush.error') {
					events.ref(i).fields.tracer = route.parser.id;
				}
			}
		}
		// the main tracer first: the one with most events, then most lines
		const tracers = routes
			.map((r) => r.part)
			.filter((p) => p.segments > 0)
			.sort((a, b) => b.events - a.events || b.lines - a.lines);
		return { tracers, segments, segmentsOmitted: Math.max(0, n - MAX_SEGMENTS) };
	}
}
