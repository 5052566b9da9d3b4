// Redaction before sharing: API keys, credentials in URLs, IP addresses, host names, URL query
// strings and the user's own patterns are replaced by tokens (`ip-1`, `host-2`, `apikey-1`…).
// The same value always gets the same token, across lines and files, so the redacted log reads
// and analyses the same: the Agent at ip-1:8126 that failed at 10:02 is still one Agent.
//
// Everything runs line by line with hand-written scanners (no regex that can backtrack over a
// line); a line never gains or loses a line break, so line numbers do not move. User regexes are
// the exception, guarded as `checkCustomPattern` explains.
import type { RedactionNote, ShareFile } from './envelope';

export type RedactionKind = 'api-key' | 'credential' | 'query' | 'ip' | 'ipv6' | 'host' | 'custom';

const TOKEN_PREFIX: Record<RedactionKind, string> = {
	'api-key': 'apikey',
	credential: 'user',
	query: 'query',
	ip: 'ip',
	ipv6: 'ipv6',
	host: 'host',
	custom: 'redacted'
};
/** Key names of API and application keys; DD_API_KEY_FILE and the like name a file, not a key. */
const API_KEY_NAME = /(?<![a-z])(?:api|app|application)[_.-]?key(?![a-z0-9_])/gi;
const NOT_A_SECRET = /^(?:null|none|nil|undefined|true|false|\*+|x+|<[^>]*>|\[redacted\])$/i;
const HOST_KEY = /(?<![a-z])host(?:_?name)?(?![a-z0-9])/gi;
const IS_TOKEN = /^(?:apikey|user|query|ip|ipv6|host|redacted)-\d+$/;

export interface CustomPattern {
	/** A plain string, or the source of a regular expression when `regex` is true. */
	pattern: string;
	regex?: boolean;
	ignoreCase?: boolean;
}

export interface RedactOptions {
	/** API and application keys: `DD_API_KEY=…`, `api_key: …`, `DD-API-KEY` headers, bare 32-hex keys. */
	apiKeys?: boolean;
	/** user:password@ in URLs. */
	credentials?: boolean;
	/** IPv4 and IPv6 addresses. */
	ips?: boolean;
	/** Host names: URL hosts, `host=`/`hostname:` values, DNS errors, bare names like db.prod.example.com. */
	hosts?: boolean;
	/** The query string (and fragment) of URLs. */
	queries?: boolean;
	/** Keep 127.0.0.0/8, ::1, 0.0.0.0, :: and localhost (they identify nothing, and "the Agent is
	 *  on localhost" is often the diagnosis). Default true. */
	keepLoopback?: boolean;
	custom?: CustomPattern[];
	/** Time budget of the custom regexes for the whole text, in ms (default 1,000). */
	customBudgetMs?: number;
}

export interface Replacement {
	kind: RedactionKind;
	original: string;
	token: string;
	/** Occurrences replaced. */
	count: number;
}

export interface RedactionProblem {
	pattern: string;
	message: string;
}

export interface RedactionResult {
	text: string;
	/** Every distinct value replaced, in order of first appearance: the preview the user accepts. */
	replacements: Replacement[];
	/** The same by kind, without values: what the envelope records. */
	notes: RedactionNote[];
	/** Custom patterns refused or stopped; the text may still hold what they were meant to hide. */
	problems: RedactionProblem[];
	/** False when a custom pattern was refused or ran out of time. */
	complete: boolean;
}

/** Longest line slice a custom regex runs on, and the overlap between slices. */
export const CUSTOM_WINDOW = 512;
export const CUSTOM_OVERLAP = 128;

type Span = { start: number; end: number; kind: RedactionKind; value: string };

// ASCII classes, one table lookup per character (NaN, past the end of a string, is in no class)
const DIGIT = 1;
const HEX = 2;
const LETTER = 4;
const WORD = 8;
const HOST = 16; // letters, digits, '-', '.'
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
	const ch = String.fromCharCode(c);
	if (/\d/.test(ch)) CLASS[c] |= DIGIT | HEX | WORD | HOST;
	if (/[a-z]/i.test(ch)) CLASS[c] |= LETTER | WORD | HOST;
	if (/[a-f]/i.test(ch)) CLASS[c] |= HEX;
	if (ch === '_') CLASS[c] |= WORD;
	if (ch === '-' || ch === '.') CLASS[c] |= HOST;
}
const is = (c: number, cls: number) => c < 128 && (CLASS[c] & cls) !== 0;
const isDigit = (c: number) => is(c, DIGIT);
const isHex = (c: number) => is(c, HEX);
const isLetter = (c: number) => is(c, LETTER);
const isWord = (c: number) => is(c, WORD);
const isHostChar = (c: number) => is(c, HOST);

/** Top-level domains a bare dotted name must end with to count as a host name. */
const TLDS = new Set(
	(
		'com net org io co dev app cloud ai info biz me us uk de fr eu jp cn in br ru nl au ca ch se es it pl ' +
		'internal local localdomain lan corp intranet home arpa svc'
	).split(' ')
);
/** Names that only look like private hosts when they have three labels or more. */
const PRIVATE_TLDS = new Set([
	'internal',
	'local',
	'localdomain',
	'lan',
	'corp',
	'intranet',
	'home',
	'svc'
]);
/** Public names worth keeping: they say which Datadog site or documentation a line points to. */
const PUBLIC_DOMAINS = [
	'datadoghq.com',
	'datadoghq.eu',
	'ddog-gov.com',
	'datadog.com',
	'datad0g.com',
	'example.com',
	'example.org',
	'github.com',
	'socket.io'
];

function isPublicHost(host: string): boolean {
	return PUBLIC_DOMAINS.some((d) => host === d || host.endsWith('.' + d));
}

export function parseIPv4(s: string): boolean {
	const parts = s.split('.');
	if (parts.length !== 4) return false;
	return parts.every((p) => p.length >= 1 && p.length <= 3 && /^\d+$/.test(p) && Number(p) <= 255);
}

export function parseIPv6(s: string): boolean {
	if (s.length < 2 || s.length > 45) return false;
	const double = s.indexOf('::');
	if (double !== -1 && s.indexOf('::', double + 1) !== -1) return false;
	let groups = s.split(':');
	let want = 8;
	const last = groups[groups.length - 1];
	if (last.includes('.')) {
		if (!parseIPv4(last)) return false;
		groups = groups.slice(0, -1);
		want = 6;
	}
	if (double !== -1) {
		const [a, b] = [s.slice(0, double), s.slice(double + 2)];
		const left = a ? a.split(':') : [];
		let right = b ? b.split(':') : [];
		if (want === 6) right = right.slice(0, -1);
		if ([...left, ...right].some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return false;
		return left.length + right.length < want;
	}
	return groups.length === want && groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g));
}

function isLoopback(kind: RedactionKind, v: string): boolean {
	if (kind === 'ip') return v.startsWith('127.') || v === '0.0.0.0';
	if (kind === 'ipv6') {
		const s = v.toLowerCase();
		return s === '::1' || s === '::' || s === '0:0:0:0:0:0:0:1' || s.startsWith('::ffff:127.');
	}
	if (kind === 'host') return v.toLowerCase() === 'localhost';
	return false;
}

/** Why a custom pattern can't be used, or null when it can. */
export function checkCustomPattern(p: CustomPattern): string | null {
	if (p.pattern.length === 0) return 'The pattern is empty.';
	if (p.pattern.length > 1000) return 'The pattern is too long (1,000 characters at most).';
	if (!p.regex) return null;
	let re: RegExp;
	try {
		re = new RegExp(p.pattern, p.ignoreCase ? 'gi' : 'g');
	} catch (e) {
		return `Not a valid regular expression: ${e instanceof Error ? e.message : String(e)}`;
	}
	if (re.test('')) return 'The pattern matches empty text; it would redact nothing useful.';
	return riskyRegex(p.pattern);
}

/**
 * A rough static check against catastrophic backtracking: no backreferences, no quantifier on a
 * group that itself holds a quantifier or an alternative (`(a+)+`, `(a|ab)*`), and at most three
 * unbounded quantifiers in all. It errs on the side of refusing.
 */
function riskyRegex(src: string): string | null {
	const groups: { quantified: boolean; alternation: boolean }[] = [];
	let unbounded = 0;
	let inClass = false;
	const quantAt = (i: number): { len: number; unbounded: boolean } | null => {
		const c = src[i];
		if (c === '*' || c === '+') return { len: 1 + (src[i + 1] === '?' ? 1 : 0), unbounded: true };
		if (c === '?') return { len: 1, unbounded: false };
		if (c === '{') {
			const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i, i + 24));
			if (!m) return null;
			const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
			return { len: m[0].length, unbounded: max > 16 };
		}
		return null;
	};
	for (let i = 0; i < src.length; i++) {
		const c = src[i];
		if (c === '\\') {
			const n = src[i + 1] ?? '';
			if (!inClass && (/[1-9]/.test(n) || n === 'k')) {
				return 'Backreferences (\\1, \\k<name>) are not allowed: they can make matching very slow.';
			}
			i++;
		} else if (inClass) {
			if (c === ']') inClass = false;
			continue;
		} else if (c === '[') inClass = true;
		else if (c === '(') groups.push({ quantified: false, alternation: false });
		else if (c === '|') {
			if (groups.length) groups[groups.length - 1].alternation = true;
		} else if (c === ')') {
			const g = groups.pop();
			const q = quantAt(i + 1);
			if (g && q && q.unbounded && (g.quantified || g.alternation)) {
				return 'A repeated group that itself repeats or has alternatives, like (a+)+ or (a|b)*, can make matching very slow; write it without the outer repetition.';
			}
			if (groups.length && (q || g?.quantified)) groups[groups.length - 1].quantified = true;
			continue;
		}
		const q = quantAt(i + 1);
		if (q) {
			if (q.unbounded) unbounded++;
			if (groups.length) groups[groups.length - 1].quantified = true;
			i += q.len;
		}
	}
	if (unbounded > 3) {
		return 'At most three unbounded repetitions (*, +, {n,}) are allowed in one pattern.';
	}
	return null;
}

/** Replaces values line by line, remembering every value's token so replacement is consistent. */
export class Redactor {
	private readonly o: Required<Omit<RedactOptions, 'custom'>>;
	private readonly tokens = new Map<string, Replacement>();
	private readonly counters = new Map<RedactionKind, number>();
	private readonly custom: { p: CustomPattern; re?: RegExp; needle?: string }[] = [];
	private budgetLeft: number;
	/** Values (lower case) to replace wherever they stand as a whole word. */
	private readonly known = new Map<string, RedactionKind>();
	private priming = false;
	readonly problems: RedactionProblem[] = [];

	constructor(options: RedactOptions = {}) {
		this.o = {
			apiKeys: options.apiKeys ?? true,
			credentials: options.credentials ?? true,
			ips: options.ips ?? true,
			hosts: options.hosts ?? true,
			queries: options.queries ?? true,
			keepLoopback: options.keepLoopback ?? true,
			customBudgetMs: options.customBudgetMs ?? 1000
		};
		this.budgetLeft = this.o.customBudgetMs;
		for (const p of options.custom ?? []) {
			const problem = checkCustomPattern(p);
			if (problem) {
				this.problems.push({ pattern: p.pattern, message: problem });
				continue;
			}
			if (p.regex) this.custom.push({ p, re: new RegExp(p.pattern, p.ignoreCase ? 'gi' : 'g') });
			else this.custom.push({ p, needle: p.ignoreCase ? p.pattern.toLowerCase() : p.pattern });
		}
	}

	/** False once a custom pattern was refused or stopped by the time budget. */
	get complete(): boolean {
		return this.problems.length === 0;
	}

	/** Every value replaced, by kind then token number (values primed but never met: left out). */
	get replacements(): Replacement[] {
		const order = Object.keys(TOKEN_PREFIX);
		return [...this.tokens.values()]
			.filter((r) => r.count > 0)
			.sort(
				(a, b) =>
					order.indexOf(a.kind) - order.indexOf(b.kind) ||
					Number(a.token.slice(a.token.lastIndexOf('-') + 1)) -
						Number(b.token.slice(b.token.lastIndexOf('-') + 1))
			);
	}

	notes(): RedactionNote[] {
		const byKind = new Map<string, RedactionNote>();
		for (const r of this.replacements) {
			const n = byKind.get(r.kind) ?? { kind: r.kind, values: 0, count: 0 };
			n.values++;
			n.count += r.count;
			byKind.set(r.kind, n);
		}
		return [...byKind.values()];
	}

	/** Redacts one line (no line breaks in it). */
	line(text: string): string {
		if (this.custom.length) text = this.apply(text, this.customSpans(text));
		if (this.o.credentials || this.o.queries || this.o.ips || this.o.hosts) {
			text = this.apply(text, this.urlSpans(text));
		}
		if (this.o.apiKeys) {
			text = this.apply(text, this.keyValueSpans(text));
			text = this.apply(text, this.hexKeySpans(text));
		}
		if (this.o.hosts) text = this.apply(text, this.hostContextSpans(text));
		if (this.o.ips) {
			text = this.apply(text, this.ipv6Spans(text));
			text = this.apply(text, this.ipv4Spans(text));
		}
		if (this.o.hosts) text = this.apply(text, this.bareHostSpans(text));
		if (this.known.size) text = this.apply(text, this.knownSpans(text));
		return text;
	}

	/**
	 * Learns the values of a line without counting them, so that a value found on a later line
	 * (a host named in a URL at line 900) is also replaced where it appears alone earlier
	 * ("(datadog-agent:8126)" at line 12). Prime every line, then redact every line.
	 */
	prime(text: string): void {
		this.priming = true;
		try {
			this.line(text);
		} finally {
			this.priming = false;
		}
	}

	/** Whole-word occurrences of host names and keys already found elsewhere. */
	private knownSpans(text: string): Span[] {
		const spans: Span[] = [];
		let i = 0;
		while (i < text.length) {
			if (!isHostChar(text.charCodeAt(i)) && text.charCodeAt(i) !== 95) {
				i++;
				continue;
			}
			let j = i;
			while (j < text.length && (isHostChar(text.charCodeAt(j)) || text.charCodeAt(j) === 95)) j++;
			let s = i;
			let e = j;
			while (s < e && '.-_'.includes(text[s])) s++;
			while (e > s && '.-_'.includes(text[e - 1])) e--;
			if (e - s >= 4) {
				const kind = this.known.get(text.slice(s, e).toLowerCase());
				if (kind) spans.push({ start: s, end: e, kind, value: text.slice(s, e) });
			}
			i = j;
		}
		return spans;
	}

	private token(kind: RedactionKind, value: string): string {
		const norm = kind === 'host' || kind === 'ipv6' ? value.toLowerCase() : value;
		// an IPv4 is the same address in a URL and in prose; a host name the same in any case
		const key = `${kind}\u0000${norm}`;
		let r = this.tokens.get(key);
		if (!r) {
			const n = (this.counters.get(kind) ?? 0) + 1;
			this.counters.set(kind, n);
			r = { kind, original: value, token: `${TOKEN_PREFIX[kind]}-${n}`, count: 0 };
			this.tokens.set(key, r);
			// distinctive names and keys are also replaced where no rule would spot them; short
			// plain words ("vm", "web") are not, or "type":"web" would change
			if (
				(kind === 'host' || kind === 'api-key') &&
				value.length >= 4 &&
				/^[\w.-]+$/.test(value) &&
				(kind === 'api-key' || /[.\-\d]/.test(value))
			) {
				this.known.set(value.toLowerCase(), kind);
			}
		}
		if (!this.priming) r.count++;
		return r.token;
	}

	private apply(text: string, spans: Span[]): string {
		if (spans.length === 0) return text;
		let out = '';
		let at = 0;
		for (const s of spans) {
			if (s.start < at) continue; // overlaps the previous one
			out += text.slice(at, s.start) + this.token(s.kind, s.value);
			at = s.end;
		}
		return out + text.slice(at);
	}

	private keep(kind: RedactionKind, value: string): boolean {
		if (IS_TOKEN.test(value)) return true;
		if (this.o.keepLoopback && isLoopback(kind, value)) return true;
		if (kind === 'host' && isPublicHost(value.toLowerCase())) return true;
		return false;
	}

	private span(spans: Span[], kind: RedactionKind, text: string, start: number, end: number) {
		const value = text.slice(start, end);
		if (end > start && !this.keep(kind, value)) spans.push({ start, end, kind, value });
	}

	// --- custom patterns -------------------------------------------------------------------

	private customSpans(text: string): Span[] {
		const spans: Span[] = [];
		for (const c of this.custom) {
			if (c.needle !== undefined) {
				const hay = c.p.ignoreCase ? text.toLowerCase() : text;
				for (
					let i = hay.indexOf(c.needle);
					i !== -1;
					i = hay.indexOf(c.needle, i + c.needle.length)
				) {
					spans.push({
						start: i,
						end: i + c.needle.length,
						kind: 'custom',
						value: text.slice(i, i + c.needle.length)
					});
				}
			} else if (c.re) this.regexSpans(c.p, c.re, text, spans);
		}
		return spans.sort((a, b) => a.start - b.start || b.end - a.end);
	}

	private regexSpans(p: CustomPattern, re: RegExp, text: string, spans: Span[]): void {
		if (this.budgetLeft <= 0) return;
		const step = CUSTOM_WINDOW - CUSTOM_OVERLAP;
		let lastEnd = 0;
		for (let from = 0; from < text.length; from += step) {
			const window = text.slice(from, from + CUSTOM_WINDOW);
			const isLast = from + CUSTOM_WINDOW >= text.length;
			const started = performance.now();
			re.lastIndex = 0;
			for (let m = re.exec(window); m; m = re.exec(window)) {
				if (m[0].length === 0) {
					re.lastIndex++;
					continue;
				}
				const start = from + m.index;
				const end = start + m[0].length;
				// a match running into the end of a slice is found whole by the next slice
				if (!isLast && m.index + m[0].length === window.length && m.index >= step) continue;
				if (start < lastEnd) continue;
				spans.push({ start, end, kind: 'custom', value: m[0] });
				lastEnd = end;
			}
			this.budgetLeft -= performance.now() - started;
			if (this.budgetLeft <= 0) {
				if (this.problems.some((x) => x.pattern === p.pattern)) return;
				this.problems.push({
					pattern: p.pattern,
					message: `The pattern took longer than ${this.o.customBudgetMs} ms and was stopped: the text after the point it reached was not searched for it.`
				});
				return;
			}
			if (isLast) break;
		}
	}

	// --- URLs: scheme://user:pass@host:port/path?query#fragment ---------------------------

	private urlSpans(text: string): Span[] {
		const spans: Span[] = [];
		for (let p = text.indexOf('://'); p !== -1; p = text.indexOf('://', p + 3)) {
			let s = p;
			while (
				s > 0 &&
				(isLetter(text.charCodeAt(s - 1)) ||
					isDigit(text.charCodeAt(s - 1)) ||
					'+.-'.includes(text[s - 1]))
			)
				s--;
			if (s === p || !isLetter(text.charCodeAt(s))) continue;
			const authStart = p + 3;
			let authEnd = authStart;
			let at = -1; // the last '@' of the authority ends the user info
			for (; authEnd < text.length; authEnd++) {
				const c = text.charCodeAt(authEnd);
				if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */ || isUrlEnd(c)) break;
				if (c === 64 /* @ */) at = authEnd;
			}
			let hostStart = authStart;
			let publicHost = false;
			if (at >= authStart) {
				if (this.o.credentials) this.span(spans, 'credential', text, authStart, at);
				hostStart = at + 1;
			}
			if (text[hostStart] === '[') {
				const close = text.indexOf(']', hostStart);
				if (close !== -1 && close < authEnd && this.o.ips) {
					const v = text.slice(hostStart + 1, close);
					if (parseIPv6(v)) this.span(spans, 'ipv6', text, hostStart + 1, close);
				}
			} else {
				let hostEnd = hostStart;
				while (hostEnd < authEnd && text[hostEnd] !== ':') hostEnd++;
				const host = text.slice(hostStart, hostEnd);
				if (parseIPv4(host)) {
					if (this.o.ips) this.span(spans, 'ip', text, hostStart, hostEnd);
				} else if (isHostName(host)) {
					publicHost = isPublicHost(host.toLowerCase());
					if (this.o.hosts) this.span(spans, 'host', text, hostStart, hostEnd);
				}
			}
			// path, then query and fragment
			let e = authEnd;
			while (e < text.length && !'?#'.includes(text[e]) && !isUrlEnd(text.charCodeAt(e))) e++;
			// a URL inside this one's path is not searched again: every character is scanned once
			p = Math.max(p, e - 3);
			// the query of a public page (a documentation link) is kept
			if (this.o.queries && !publicHost && e < text.length && '?#'.includes(text[e])) {
				let q = e + 1;
				while (q < text.length && !isUrlEnd(text.charCodeAt(q))) q++;
				while (q > e + 1 && '.,;:)]}'.includes(text[q - 1])) q--;
				this.span(spans, 'query', text, e + 1, q);
				p = Math.max(p, q - 3);
			}
		}
		return spans;
	}

	// --- key = value secrets ---------------------------------------------------------------

	/** `api_key=…`, `DD_API_KEY: …`, `"apiKey":"…"`, `DD-APP-KEY …`, `application_key=…`. */
	private keyValueSpans(text: string): Span[] {
		const spans: Span[] = [];
		const memo: ValueMemo = { from: -1, end: -1 };
		API_KEY_NAME.lastIndex = 0;
		for (let m = API_KEY_NAME.exec(text); m; m = API_KEY_NAME.exec(text)) {
			const v = valueAfterKey(text, m.index + m[0].length, memo);
			if (!v) continue;
			API_KEY_NAME.lastIndex = Math.max(API_KEY_NAME.lastIndex, v.end); // a value is read once
			if (NOT_A_SECRET.test(text.slice(v.start, v.end))) continue;
			this.span(spans, 'api-key', text, v.start, v.end);
		}
		return spans;
	}

	/** A bare 32-hex-digit token (a Datadog API key), unless its key says it is an id or a hash. */
	private hexKeySpans(text: string): Span[] {
		const spans: Span[] = [];
		let i = 0;
		while (i < text.length) {
			if (!isHex(text.charCodeAt(i))) {
				i++;
				continue;
			}
			let j = i;
			while (j < text.length && isHex(text.charCodeAt(j))) j++;
			const prev = text.charCodeAt(i - 1);
			const next = text.charCodeAt(j);
			if (
				j - i === 32 &&
				!(i > 0 && (isWord(prev) || prev === 45)) &&
				!(j < text.length && (isWord(next) || next === 45)) &&
				/[a-f]/i.test(text.slice(i, j)) &&
				/\d/.test(text.slice(i, j)) &&
				!/(?:id|ids|trace|span|tid|hash|sha\d*|md5|digest|checksum|etag|uuid|guid|fingerprint)["']?\s*[:=]?\s*["']?$/i.test(
					text.slice(Math.max(0, i - 24), i)
				)
			) {
				this.span(spans, 'api-key', text, i, j);
			}
			i = j;
		}
		return spans;
	}

	// --- hosts -----------------------------------------------------------------------------

	/** `host=…`, `"hostname":"…"`, `out.host: …`, `Host: …`, and DNS errors naming a host. */
	private hostContextSpans(text: string): Span[] {
		const spans: Span[] = [];
		const memo: ValueMemo = { from: -1, end: -1 };
		HOST_KEY.lastIndex = 0;
		for (let m = HOST_KEY.exec(text); m; m = HOST_KEY.exec(text)) {
			const k = m.index;
			const end = k + m[0].length;
			const v = valueAfterKey(text, end, memo);
			if (!v) continue;
			// "host=x", "out.host: x", "\"hostname\": x" are keys; in "no route to host: retrying"
			// the word is prose, so a plain "host:" needs a value that looks like a name
			let e = v.start; // "localhost:8181": the name stops at the port
			while (e < v.end && isHostChar(text.charCodeAt(e))) e++;
			HOST_KEY.lastIndex = Math.max(HOST_KEY.lastIndex, e); // a name is read once
			const structured = v.sep === '=' || v.quoted || (k > 0 && '"\'._-'.includes(text[k - 1]));
			if (!structured && !/[.\-\d]/.test(text.slice(v.start, e))) continue;
			this.hostValue(spans, text, v.start, e);
		}
		// Go: "lookup <host> on <dns>:" / "lookup <host>:"; Node: "ENOTFOUND <host>"; "dial tcp <host>:<port>"
		const contexts: [string, RegExp][] = [
			['lookup ', /^(?: on |:)/],
			['ENOTFOUND ', /^(?:$|[^\w.-])/],
			['EAI_AGAIN ', /^(?:$|[^\w.-])/],
			['dial tcp ', /^:\d/],
			['dial udp ', /^:\d/]
		];
		for (const [prefix, follow] of contexts) {
			for (let k = text.indexOf(prefix); k !== -1; k = text.indexOf(prefix, k + prefix.length)) {
				let e = k + prefix.length;
				while (e < text.length && isHostChar(text.charCodeAt(e))) e++;
				if (follow.test(text.slice(e, e + 4))) this.hostValue(spans, text, k + prefix.length, e);
			}
		}
		return spans.sort((a, b) => a.start - b.start);
	}

	private hostValue(spans: Span[], text: string, start: number, end: number): void {
		let e = start; // "localhost:8181": the name stops at the port
		while (e < end && isHostChar(text.charCodeAt(e))) e++;
		end = e;
		while (end > start && '.-'.includes(text[end - 1])) end--;
		const v = text.slice(start, end);
		if (!isHostName(v) || parseIPv4(v) || /^[A-Z_]+$/.test(v)) return;
		this.span(spans, 'host', text, start, end);
	}

	/** Dotted lower-case names ending in a known top-level domain: db.prod.example.net. */
	private bareHostSpans(text: string): Span[] {
		const spans: Span[] = [];
		let i = 0;
		while (i < text.length) {
			if (!isHostChar(text.charCodeAt(i))) {
				i++;
				continue;
			}
			let j = i;
			let dots = 0;
			for (let c = text.charCodeAt(j); j < text.length && isHostChar(c); c = text.charCodeAt(++j)) {
				if (c === 46) dots++;
			}
			if (dots === 0 || !isLetter(text.charCodeAt(j - 1))) {
				i = j;
				continue;
			}
			let s = i;
			let e = j;
			while (s < e && '.-'.includes(text[s])) s++;
			while (e > s && '.-'.includes(text[e - 1])) e--;
			const name = text.slice(s, e);
			const prev = text.charCodeAt(i - 1);
			if (prev !== 95 /* _ */ && looksLikeBareHost(name)) this.span(spans, 'host', text, s, e);
			i = j;
		}
		return spans;
	}

	// --- IP addresses ----------------------------------------------------------------------

	private ipv4Spans(text: string): Span[] {
		const spans: Span[] = [];
		let i = 0;
		while (i < text.length) {
			const c = text.charCodeAt(i);
			if (!isDigit(c) && c !== 46) {
				i++;
				continue;
			}
			let j = i;
			let dots = 0;
			for (let d = text.charCodeAt(j); isDigit(d) || d === 46; d = text.charCodeAt(++j)) {
				if (d === 46) dots++;
			}
			if (dots < 3) {
				i = j;
				continue;
			}
			let s = i;
			let e = j;
			while (s < e && text[s] === '.') s++;
			while (e > s && text[e - 1] === '.') e--;
			if (
				!isWord(text.charCodeAt(i - 1)) &&
				(e < j || !isWord(text.charCodeAt(j))) && // "10.0.0.7." and "10.0.0.7.log" end at the dot
				parseIPv4(text.slice(s, e)) &&
				!/version|ver[:=]/i.test(text.slice(Math.max(0, s - 24), s))
			) {
				this.span(spans, 'ip', text, s, e);
			}
			i = j;
		}
		return spans;
	}

	private ipv6Spans(text: string): Span[] {
		const spans: Span[] = [];
		let i = 0;
		while (i < text.length) {
			const c = text.charCodeAt(i);
			if (!isHex(c) && c !== 58 /* : */) {
				i++;
				continue;
			}
			let j = i;
			let colons = 0;
			while (j < text.length) {
				const d = text.charCodeAt(j);
				if (d === 58) colons++;
				else if (!isHex(d) && d !== 46) break;
				j++;
			}
			if (colons >= 2 && !isWord(text.charCodeAt(i - 1)) && !isWord(text.charCodeAt(j))) {
				let e = j;
				while (e > i && ':.'.includes(text[e - 1]) && !text.slice(i, e).endsWith('::')) e--;
				if (parseIPv6(text.slice(i, e))) this.span(spans, 'ipv6', text, i, e);
				else if (parseIPv6(text.slice(i, j))) this.span(spans, 'ipv6', text, i, j);
			}
			i = j;
		}
		return spans;
	}
}

function isUrlEnd(c: number): boolean {
	// whitespace, quotes, angle brackets, backslash (escaped JSON quotes), backtick
	return c <= 32 || c === 34 || c === 39 || c === 60 || c === 62 || c === 92 || c === 96;
}

/** After a key: optional closing quote, a separator (= or :), optional opening quote (also
 *  JSON-escaped \"), then the value up to a delimiter. */
/** Where the last value scan of a line started and ended: a later value starting inside it ends
 *  at the same delimiter, so no character is scanned twice ("host:host:host:…" stays linear). */
interface ValueMemo {
	from: number;
	end: number;
}

function valueAfterKey(
	text: string,
	at: number,
	memo: ValueMemo
): { start: number; end: number; sep: string; quoted: boolean } | null {
	let i = at;
	let quoted = false;
	while (text[i] === '"' || text[i] === "'" || text[i] === '\\') {
		quoted = true;
		i++;
	}
	while (text[i] === ' ' || text[i] === '\t') i++;
	const sep = text[i];
	if (sep !== '=' && sep !== ':') return null;
	i++;
	if (text[i] === '=') i++; // ":=" and "=="
	while (text[i] === ' ' || text[i] === '\t') i++;
	while (text[i] === '"' || text[i] === "'" || text[i] === '\\') i++;
	const start = i;
	if (i >= memo.from && i <= memo.end) i = memo.end;
	else {
		while (i < text.length && !' \t"\'\\,;&)}]<>'.includes(text[i])) i++;
		memo.from = start;
		memo.end = i;
	}
	return i > start ? { start, end: i, sep, quoted } : null;
}

function isHostName(s: string): boolean {
	if (s.length === 0 || s.length > 253) return false;
	if (!/[a-z]/i.test(s)) return false;
	if (s.startsWith('-') || s.startsWith('.')) return false;
	for (let i = 0; i < s.length; i++) if (!isHostChar(s.charCodeAt(i))) return false;
	return true;
}

function looksLikeBareHost(name: string): boolean {
	if (name.length < 4 || name.length > 253 || name !== name.toLowerCase()) return false;
	const labels = name.split('.');
	if (labels.length < 2) return false;
	const tld = labels[labels.length - 1];
	if (!TLDS.has(tld)) return false;
	if (PRIVATE_TLDS.has(tld) && labels.length < 3) return false;
	return labels.every(
		(l) => l.length >= 1 && l.length <= 63 && !l.startsWith('-') && !l.endsWith('-')
	);
}

/** Redacts a whole text, keeping every line break exactly as it was. */
export function redactText(
	text: string,
	options: RedactOptions = {},
	redactor = new Redactor(options)
): RedactionResult {
	forEachLine(text, (line) => redactor.prime(line));
	const parts: string[] = [];
	forEachLine(text, (line, br) => {
		parts.push(redactor.line(line));
		if (br) parts.push(br);
	});
	return {
		text: parts.join(''),
		replacements: redactor.replacements,
		notes: redactor.notes(),
		problems: [...redactor.problems],
		complete: redactor.complete
	};
}

function forEachLine(text: string, fn: (line: string, lineBreak: string) => void): void {
	let start = 0;
	const n = text.length;
	for (let i = 0; i < n; i++) {
		const c = text.charCodeAt(i);
		if (c === 10 || c === 13) {
			const br = c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
			fn(text.slice(start, i), text.slice(i, i + br));
			i += br - 1;
			start = i + 1;
		}
	}
	if (start < n) fn(text.slice(start), '');
}

/** Redacts shared files (names, whole texts and excerpt lines) with one consistent set of tokens. */
export function redactFiles(
	files: ShareFile[],
	options: RedactOptions = {}
): Omit<RedactionResult, 'text'> & { files: ShareFile[] } {
	const redactor = new Redactor(options);
	for (const f of files) {
		redactor.prime(f.name);
		if (f.text !== undefined) forEachLine(f.text, (line) => redactor.prime(line));
		for (const s of f.segments ?? []) for (const l of s.lines) redactor.prime(l);
	}
	const out = files.map((f) => {
		const copy: ShareFile = { ...f, name: redactor.line(f.name) };
		if (f.text !== undefined) {
			const parts: string[] = [];
			forEachLine(f.text, (line, br) => parts.push(redactor.line(line), br));
			copy.text = parts.join('');
		}
		if (f.segments) {
			copy.segments = f.segments.map((s) => ({
				...s,
				lines: s.lines.map((l) => redactor.line(l))
			}));
		}
		return copy;
	});
	return {
		files: out,
		replacements: redactor.replacements,
		notes: redactor.notes(),
		problems: [...redactor.problems],
		complete: redactor.complete
	};
}
