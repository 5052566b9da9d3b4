// Which tracer wrote this file. Content decides; a file name only adds a small hint.
import type { TracerParser } from './tracers/types';

/** Score at which one tracer is decided without reading further. */
export const DECIDED = 10;
const NAME_HINT = 3;
/** Lines kept as the evidence of a detection. */
export const EVIDENCE_LINES = 5;

/** A parser's score of one line; a throw is no evidence (a parser never throws). */
export function scoreOf(parser: TracerParser, text: string): number {
	try {
		return parser.detect(text);
	} catch {
		return 0;
	}
}

/** Confidence in a tracer decided by a line or lines scoring `score`. */
export function decidedConfidence(score: number): number {
	return Math.min(1, 0.8 + score / 100);
}

export interface Detection {
	parser: TracerParser;
	score: number;
	confidence: number;
	detectedBy: { line: number; text: string }[];
}

export class Detector {
	private readonly scores: number[];
	private readonly contentScores: number[];
	private readonly evidence: { line: number; text: string }[][];
	decided: TracerParser | undefined;

	constructor(
		private readonly parsers: readonly TracerParser[],
		fileName?: string
	) {
		this.scores = parsers.map((p) => (fileName && p.fileNameHint?.test(fileName) ? NAME_HINT : 0));
		this.contentScores = parsers.map(() => 0);
		this.evidence = parsers.map(() => []);
	}

	/** Looks at one line; returns the parser once one is decided. */
	feed(text: string, lineNo: number): TracerParser | undefined {
		if (this.decided) return this.decided;
		if (text.length === 0) return undefined;
		for (let i = 0; i < this.parsers.length; i++) {
			const s = scoreOf(this.parsers[i], text);
			if (s <= 0) continue;
			this.scores[i] += s;
			this.contentScores[i] += s;
			const ev = this.evidence[i];
			if (ev.length < EVIDENCE_LINES) ev.push({ line: lineNo, text: text.slice(0, 300) });
			// registry order breaks ties: the first parser to reach the bar wins
			if (s >= DECIDED || this.scores[i] >= DECIDED * 2) {
				this.decided = this.parsers[i];
				return this.decided;
			}
		}
		return undefined;
	}

	/** The decided parser, or the best one with any content evidence, or undefined. */
	result(): Detection | undefined {
		let best = -1;
		for (let i = 0; i < this.parsers.length; i++) {
			if (this.contentScores[i] <= 0) continue;
			if (this.decided === this.parsers[i]) {
				best = i;
				break;
			}
			if (best === -1 || this.scores[i] > this.scores[best]) best = i;
		}
		if (best === -1) return undefined;
		const score = this.scores[best];
		const decided = this.decided === this.parsers[best];
		const confidence = decided
			? decidedConfidence(score)
			: Math.min(0.7, 0.2 + score / (DECIDED * 2));
		return {
			parser: this.parsers[best],
			score,
			confidence: Math.round(confidence * 100) / 100,
			detectedBy: this.evidence[best]
		};
	}
}
