// The contract between the analysis and one tracer's parser.
import type { NewEvent, LogEvent, Span, TracerId, TracerInfo } from '../model';

/** What a parser reads of a span before it knows its line and event: every field optional. */
export type SpanFields = Partial<Omit<Span, 'file' | 'line' | 'event'>>;

/** What a parser reports into. It never sees the whole Analysis. */
export interface Emitter {
	/**
	 * Adds an event; returns the stored event (with its id) so spans can point at it. A parser may
	 * still update its `endLine`, `summary`, `repeat` and `fields` while it folds later lines into it
	 * (a retry into its attempt); the analysis reads events only after the file ends.
	 */
	event(e: NewEvent): LogEvent;
	/** Adds a span (the `event` field is the span.finish event id). */
	span(s: Omit<Span, 'file'>): void;
	/** Normalised facts about the tracer (version, agent URL, service…); later values win. */
	info(values: TracerInfo): void;
	/** Raw configuration key/values from a tracer.config record. */
	config(values: Record<string, string>): void;
	/**
	 * Overrides `TracerParser.logsSuccess` for this file when the version seen in it decides
	 * (e.g. Python 3.19+ sends through a native writer that logs failures only).
	 */
	logsSuccess?(value: boolean): void;
}

export interface ParserSession {
	/** Every line of the file, in order, ANSI codes removed. `truncated` when longer than the cap. */
	line(text: string, lineNo: number, truncated: boolean): void;
	/** No more lines: flush any pending record. */
	end(): void;
}

export interface TracerParser {
	readonly id: TracerId;
	/** Name shown to people, e.g. "Node.js". */
	readonly name: string;
	/**
	 * Evidence that one line was written by this tracer: 0 none, 1–9 a hint, 10 or more a
	 * distinctive marker. Called on lines until detection settles; must be cheap. (A throw counts as
	 * 0: the detector guards every call, as analyze() guards every session call.)
	 */
	detect(text: string): number;
	/** File names this tracer writes (a hint only; content decides). */
	readonly fileNameHint?: RegExp;
	/**
	 * Whether an accepted payload leaves a line. When false (Ruby, PHP 1.x) an attempt with no
	 * error is "presumed" accepted rather than "unconfirmed".
	 */
	readonly logsSuccess: boolean;
	createSession(out: Emitter): ParserSession;
}
