// Streaming line splitter: byte chunks of any size in, decoded lines with their byte offsets out.
// Splitting happens on bytes (LF, CRLF or a lone CR), so a multi-byte UTF-8 character cut by a
// chunk boundary is never split: 0x0A and 0x0D never occur inside a UTF-8 sequence.
import { concatBytes } from './bytes';

/** Longest line kept for parsing; the rest of a longer line is counted but not decoded. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

const LF = 10;
const CR = 13;
/**
 * Line breaks are looked for in the bytes decoded as a string (a string's indexOf runs at memchr
 * speed, a Uint8Array's walks byte by byte). A window is decoded as UTF-8 once: when that gives one
 * character per byte (ASCII, and lone invalid bytes as U+FFFD) its lines are cut from that string
 * (one decode per window instead of one per line). Otherwise the window is decoded one character per
 * byte (windows-1252 maps every byte to one character, LF and CR to themselves) to find the breaks,
 * and each line is decoded from its bytes.
 */
const UTF8 = new TextDecoder('utf-8');
const BYTES = new TextDecoder('latin1');
/**
 * Bytes decoded at a time, cut after a line break: a line cut from the window's string keeps the
 * whole window alive as long as the parser keeps a piece of it, so the window is small.
 */
const WINDOW = 1 << 14;
// ESC [ params intermediates final — a CSI sequence, the only ANSI codes loggers emit.
// eslint-disable-next-line no-control-regex
const ANSI_CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;

export type LineSink = (
	text: string,
	lineNo: number,
	byteOffset: number,
	truncated: boolean
) => void;

/** Removes colour codes; returns the line itself (no copy) when it has none. */
export function stripAnsi(text: string): string {
	return text.indexOf('\x1b') === -1 ? text : text.replace(ANSI_CSI, '');
}

/** Growable list of line start offsets (Float64: files may pass 4 GB). */
export class LineIndex {
	private data = new Float64Array(1024);
	length = 0;
	push(offset: number): void {
		if (this.length === this.data.length) {
			const grown = new Float64Array(this.data.length * 2);
			grown.set(this.data);
			this.data = grown;
		}
		this.data[this.length++] = offset;
	}
	toArray(): Float64Array {
		return this.data.slice(0, this.length);
	}
}

export class LineSplitter {
	private readonly decoder = new TextDecoder('utf-8');
	/** Bytes of a line that started in an earlier chunk (at most MAX_LINE_BYTES). */
	private carry: Uint8Array[] = [];
	private carryBytes = 0;
	/** Bytes of the current line beyond MAX_LINE_BYTES, counted but dropped. */
	private overflow = 0;
	private skipLF = false;
	private lineStart = 0;
	private position = 0;
	lines = 0;
	truncatedLines = 0;
	longestLine = 0;

	constructor(
		private readonly sink: LineSink,
		private readonly index?: LineIndex,
		/** Remove colour codes from the lines (looked for once per window, not once per line). */
		private readonly stripColours = false
	) {}

	/** Total bytes consumed so far. */
	get bytes(): number {
		return this.position;
	}

	push(chunk: Uint8Array): void {
		for (let at = 0; at < chunk.length;) {
			let end = Math.min(chunk.length, at + WINDOW);
			// the window ends after a line break when it has one, so its lines are whole
			if (end < chunk.length) {
				const window = chunk.subarray(at, end);
				let cut = window.lastIndexOf(LF);
				if (cut === -1) cut = window.lastIndexOf(CR);
				if (cut > 0) end = at + cut + 1;
			}
			this.pushPart(chunk.subarray(at, end));
			at = end;
		}
	}

	private pushPart(chunk: Uint8Array): void {
		const len = chunk.length;
		let pos = 0;
		if (this.skipLF && len > 0) {
			this.skipLF = false;
			if (chunk[0] === LF) {
				pos = 1;
				this.lineStart = this.position + 1;
			}
		}
		let text: string | undefined = UTF8.decode(chunk);
		if (text.length !== len) text = undefined;
		const bytes = text ?? BYTES.decode(chunk);
		let nextCR = bytes.indexOf('\r', pos);
		let nextEsc = this.stripColours ? bytes.indexOf('\x1b', pos) : -1;
		while (pos < len) {
			const nextLF = bytes.indexOf('\n', pos);
			if (nextCR !== -1 && nextCR < pos) nextCR = bytes.indexOf('\r', pos);
			let end: number;
			let skip = 1;
			if (nextCR !== -1 && (nextLF === -1 || nextCR < nextLF)) {
				end = nextCR;
				if (end + 1 < len) {
					if (chunk[end + 1] === LF) skip = 2;
				} else this.skipLF = true;
			} else if (nextLF !== -1) {
				end = nextLF;
			} else {
				this.keep(chunk.subarray(pos));
				break;
			}
			const colour = nextEsc !== -1 && nextEsc < end;
			this.emit(chunk, pos, end, end + skip, text, colour);
			pos = end + skip;
			if (colour) nextEsc = bytes.indexOf('\x1b', pos);
		}
		this.position += len;
	}

	/** Flushes the last line when the input does not end with a line break. */
	end(): void {
		if (this.carryBytes > 0 || this.overflow > 0) this.emit(new Uint8Array(0), 0, 0, 0);
	}

	private keep(part: Uint8Array): void {
		const room = MAX_LINE_BYTES - this.carryBytes;
		if (part.length <= room) {
			// copy: the caller may reuse its buffer
			this.carry.push(part.slice());
			this.carryBytes += part.length;
		} else {
			if (room > 0) {
				this.carry.push(part.slice(0, room));
				this.carryBytes += room;
			}
			this.overflow += part.length - room;
		}
	}

	/**
	 * Hands on the line chunk[from, to). `text` is the chunk decoded when that gave one character per
	 * byte; `colour` says the line has an ESC in this chunk.
	 */
	private emit(
		chunk: Uint8Array,
		from: number,
		to: number,
		next: number,
		text?: string,
		colour = false
	): void {
		let line: string;
		let truncated = false;
		if (this.carryBytes === 0 && this.overflow === 0) {
			// within one window, so shorter than the cap
			line =
				text !== undefined ? text.slice(from, to) : this.decoder.decode(chunk.subarray(from, to));
		} else {
			this.keep(chunk.subarray(from, to));
			line = this.decoder.decode(concatBytes(this.carry, this.carryBytes));
			truncated = this.overflow > 0;
			colour = this.stripColours; // an ESC may be in the part carried over
			this.carry = [];
			this.carryBytes = 0;
			this.overflow = 0;
		}
		if (colour) line = stripAnsi(line);
		const lineNo = ++this.lines;
		const lineBytes = this.position + to - this.lineStart;
		if (lineBytes > this.longestLine) this.longestLine = lineBytes;
		if (truncated) this.truncatedLines++;
		this.index?.push(this.lineStart);
		const start = this.lineStart;
		this.lineStart = this.position + next;
		this.sink(line, lineNo, start, truncated);
	}
}
