// Streaming line splitter: byte chunks of any size in, decoded lines with their byte offsets out.
// Splitting happens on bytes (LF, CRLF or a lone CR), so a multi-byte UTF-8 character cut by a
// chunk boundary is never split: 0x0A and 0x0D never occur inside a UTF-8 sequence.
import { concatBytes } from './bytes';

/** Longest line kept for parsing; the rest of a longer line is counted but not decoded. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

const LF = 10;
/**
 * Line breaks are looked for in a copy of the bytes decoded one character per byte (windows-1252
 * maps every byte to exactly one character, LF and CR to themselves): a string's indexOf runs at
 * memchr speed, a Uint8Array's walks byte by byte (several times slower).
 */
const BYTES = new TextDecoder('latin1');
/** Bytes decoded for that search at a time (a bigger string would go to the large-object space). */
const WINDOW = 1 << 16;
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
		private readonly index?: LineIndex
	) {}

	/** Total bytes consumed so far. */
	get bytes(): number {
		return this.position;
	}

	push(chunk: Uint8Array): void {
		if (chunk.length <= WINDOW) this.pushPart(chunk);
		else
			for (let at = 0; at < chunk.length; at += WINDOW)
				this.pushPart(chunk.subarray(at, at + WINDOW));
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
		const bytes = BYTES.decode(chunk);
		let nextCR = bytes.indexOf('\r', pos);
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
			this.emit(chunk, pos, end, end + skip);
			pos = end + skip;
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

	private emit(chunk: Uint8Array, from: number, to: number, next: number): void {
		let bytes: Uint8Array;
		let truncated: boolean;
		if (this.carryBytes === 0 && this.overflow === 0) {
			bytes =
				to - from > MAX_LINE_BYTES
					? chunk.subarray(from, from + MAX_LINE_BYTES)
					: chunk.subarray(from, to);
			truncated = to - from > MAX_LINE_BYTES;
		} else {
			this.keep(chunk.subarray(from, to));
			bytes = concatBytes(this.carry, this.carryBytes);
			truncated = this.overflow > 0;
			this.carry = [];
			this.carryBytes = 0;
			this.overflow = 0;
		}
		const lineNo = ++this.lines;
		const lineBytes = this.position + to - this.lineStart;
		if (lineBytes > this.longestLine) this.longestLine = lineBytes;
		if (truncated) this.truncatedLines++;
		this.index?.push(this.lineStart);
		const start = this.lineStart;
		this.lineStart = this.position + next;
		this.sink(this.decoder.decode(bytes), lineNo, start, truncated);
	}
}
