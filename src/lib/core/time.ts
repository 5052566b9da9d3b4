// Timestamps as tracers print them. Every pattern is anchored with no nested quantifier (no ReDoS).

export interface ParsedTime {
	/** Epoch milliseconds. With no zone in the text the wall-clock time is read as UTC. */
	time: number;
	/** The zone as written ("Z", "+00:00", "-0700") or "local" when the text has none. */
	zone: string;
	/** Characters consumed from the start. */
	length: number;
}

// 2024-01-02 10:11:12,345 | 2024-01-02T10:11:12.345678Z | 2024-01-02 10:11:12.345 +00:00 | …:12 UTC
const ISO_LIKE =
	/^(\d{4})[-/](\d{2})[-/](\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,:](\d{1,9}))?( ?(?:Z|UTC|[+-]\d{2}:?\d{2}))?/;

/** Parses a timestamp at the start of `text` (ISO-8601 and its common log variants). */
export function parseTimestamp(text: string): ParsedTime | undefined {
	const m = ISO_LIKE.exec(text);
	if (!m) return undefined;
	const frac = m[7] ? Number(('0.' + m[7]).slice(0, 6)) * 1000 : 0;
	let time = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) + frac;
	if (Number.isNaN(time)) return undefined;
	let zone = 'local';
	const z = m[8]?.trim();
	if (z) {
		zone = z;
		if (z !== 'Z' && z !== 'UTC') {
			const sign = z[0] === '-' ? -1 : 1;
			const digits = z.slice(1).replace(':', '');
			const offset = (+digits.slice(0, 2) * 60 + +digits.slice(2, 4)) * 60000;
			time -= sign * offset;
		}
	}
	return { time, zone, length: m[0].length };
}

/** Epoch ms from nanoseconds given as a decimal string or number, without losing the ms part. */
export function nanosToMillis(ns: string | number): number | undefined {
	const s = String(ns);
	if (!/^\d{1,25}$/.test(s)) return undefined;
	if (s.length <= 6) return Number(s) / 1e6;
	return Number(s.slice(0, -6)) + Number(s.slice(-6)) / 1e6;
}
