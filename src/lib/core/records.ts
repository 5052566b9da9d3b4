// Record grouping: a record is a first line plus the continuation lines that belong to it
// (stack traces, multi-line objects, JSON split over lines). Each parser says what a
// continuation looks like; this class keeps the bookkeeping in one place.

/** Lines kept per record; a longer record keeps its first lines and its true end line. */
export const MAX_RECORD_LINES = 400;

export interface LogRecord {
	lines: string[];
	/** 1-based line numbers of the first and last line. */
	start: number;
	end: number;
	truncated: boolean;
}

export class RecordGrouper {
	private current: LogRecord | undefined;

	/**
	 * @param isContinuation whether `text` continues the record above (`record` is that record)
	 * @param onRecord called once per complete record
	 */
	constructor(
		private readonly isContinuation: (text: string, record: LogRecord) => boolean,
		private readonly onRecord: (record: LogRecord) => void
	) {}

	line(text: string, lineNo: number, truncated = false): void {
		const cur = this.current;
		if (cur && this.isContinuation(text, cur)) {
			if (cur.lines.length < MAX_RECORD_LINES) cur.lines.push(text);
			cur.end = lineNo;
			if (truncated) cur.truncated = true;
			return;
		}
		// the new record is current before the old one is handed over, so a parser that throws
		// on one record loses that record only, never the lines after it
		this.current = { lines: [text], start: lineNo, end: lineNo, truncated };
		if (cur) this.onRecord(cur);
	}

	end(): void {
		const cur = this.current;
		this.current = undefined;
		if (cur) this.onRecord(cur);
	}
}

/** Typical continuation lines: indented stack frames, `Caused by:`, closing braces, blank lines. */
export function looksLikeContinuation(text: string): boolean {
	if (text.length === 0) return false;
	const c = text.charCodeAt(0);
	if (c === 32 || c === 9) return true; // indented
	return (
		text === '}' ||
		text === ']' ||
		text.startsWith('Caused by:') ||
		text.startsWith('Traceback (most recent call last)')
	);
}
