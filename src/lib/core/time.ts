// Timestamps as tracers print them. Every pattern is anchored with no nested quantifier (no ReDoS).

export interface ParsedTime {
	/** Epoch milliseconds. With no zone in the text the wall-clock time is read as UTC. */
	time: number;
	/** The zone as written ("Z", "+00:00", "-0700") or "local" when the text has none. */
	zone: string;
	/** Characters consumed from the start. */
	length: number;
}

/** The value of `len` ASCII digits at `at`, or -1 when one of them is no digit. */
function digitsAt(text: string, at: number, len: number): number {
	let v = 0;
	for (let i = 0; i < len; i++) {
		const d = text.charCodeAt(at + i) - 48;
		if (!(d >= 0 && d <= 9)) return -1; // NaN past the end
		v = v * 10 + d;
	}
	return v;
}

const TENS = [1, 10, 100, 1000, 10000];

/**
 * Parses a timestamp at the start of `text` (ISO-8601 and its common log variants):
 * `2024-01-02 10:11:12,345` | `2024-01-02T10:11:12.345678Z` | `2024-01-02 10:11:12.345 +00:00` |
 * `…:12 UTC`, i.e. `^\d{4}[-/]\d{2}[-/]\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,:](\d{1,9}))?( ?(?:Z|UTC|[+-]\d{2}:?\d{2}))?`.
 * Read by hand, not by that regex: every tracer's line prefix comes here, and a match's array and
 * strings were a good share of the garbage of a big log.
 */
export function parseTimestamp(text: string): ParsedTime | undefined {
	const year = digitsAt(text, 0, 4);
	if (year < 0 || !isDateSep(text.charCodeAt(4))) return undefined;
	const month = digitsAt(text, 5, 2);
	if (month < 0 || !isDateSep(text.charCodeAt(7))) return undefined;
	const day = digitsAt(text, 8, 2);
	const t = text.charCodeAt(10);
	if (day < 0 || (t !== 84 /* T */ && t !== 32)) return undefined;
	const hours = digitsAt(text, 11, 2);
	if (hours < 0 || text.charCodeAt(13) !== 58 /* : */) return undefined;
	const minutes = digitsAt(text, 14, 2);
	if (minutes < 0 || text.charCodeAt(16) !== 58) return undefined;
	const seconds = digitsAt(text, 17, 2);
	if (seconds < 0) return undefined;
	let end = 19;
	let frac = 0;
	const sep = text.charCodeAt(19);
	if ((sep === 46 /* . */ || sep === 44 /* , */ || sep === 58) && digitsAt(text, 20, 1) >= 0) {
		let n = 1;
		while (n < 9 && digitsAt(text, 20 + n, 1) >= 0) n++;
		// the first 4 digits as a fraction: n / 10^k rounds as Number('0.' + digits) does
		const k = Math.min(n, 4);
		frac = (digitsAt(text, 20, k) / TENS[k]) * 1000;
		end = 20 + n;
	}
	let time = Date.UTC(year, month - 1, day, hours, minutes, seconds) + frac;
	if (Number.isNaN(time)) return undefined;
	let zone = 'local';
	const z = text.charCodeAt(end) === 32 ? end + 1 : end;
	const c = text.charCodeAt(z);
	let zoneEnd = -1;
	if (c === 90 /* Z */) zoneEnd = z + 1;
	else if (c === 85 /* U */ && text.startsWith('UTC', z)) zoneEnd = z + 3;
	else if ((c === 43 /* + */ || c === 45) /* - */ && digitsAt(text, z + 1, 2) >= 0) {
		const colon = text.charCodeAt(z + 3) === 58 && digitsAt(text, z + 4, 2) >= 0;
		const mm = colon ? z + 4 : z + 3;
		if (colon || digitsAt(text, mm, 2) >= 0) {
			zoneEnd = mm + 2;
			const offset = (digitsAt(text, z + 1, 2) * 60 + digitsAt(text, mm, 2)) * 60000;
			time -= (c === 45 ? -1 : 1) * offset;
		}
	}
	if (zoneEnd > 0) {
		zone = text.slice(z, zoneEnd);
		end = zoneEnd;
	}
	return { time, zone, length: end };
}

function isDateSep(c: number): boolean {
	return c === 45 /* - */ || c === 47; /* / */
}

/** Epoch ms from nanoseconds given as a decimal string or number, without losing the ms part. */
export function nanosToMillis(ns: string | number): number | undefined {
	const s = String(ns);
	if (!/^\d{1,25}$/.test(s)) return undefined;
	if (s.length <= 6) return Number(s) / 1e6;
	return Number(s.slice(0, -6)) + Number(s.slice(-6)) / 1e6;
}
