// Helpers several tracer parsers share: tolerant JSON reading and configuration flattening.

/** Where a brace-delimited JSON value starting at `start` ends (index after it), string-aware. */
export function jsonEnd(text: string, start: number): number {
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 92) i++;
			else if (c === 34) inString = false;
		} else if (c === 34) inString = true;
		else if (c === 123 || c === 91) depth++;
		else if (c === 125 || c === 93) {
			depth--;
			if (depth === 0) return i + 1;
		}
	}
	return -1;
}

/** Top-level `"key": value` pairs of a JSON text that did not parse (cut or wrapped by hand). */
export function looseJson(text: string): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const re = /"([^"\\]{1,100})":\s?("(?:[^"\\]|\\.){0,2000}"|[^,{}[\]"]{0,100})/g;
	let m: RegExpExecArray | null;
	let n = 0;
	while ((m = re.exec(text)) && n++ < 500) {
		const raw = m[2].trim();
		if (raw.startsWith('"')) {
			try {
				out[m[1]] = JSON.parse(raw);
			} catch {
				out[m[1]] = raw.slice(1, -1);
			}
		} else if (raw === 'true' || raw === 'false') out[m[1]] = raw === 'true';
		else if (raw === 'null') out[m[1]] = null;
		else if (raw !== '') out[m[1]] = raw;
	}
	return out;
}

/** A JSON value as text: strings as they are, anything else serialised. */
export function str(v: unknown): string | undefined {
	if (v === undefined || v === null) return undefined;
	return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The first URL in an error text (`Post "http://…/v0.4/traces": …`, older Go without quotes). */
export function urlIn(text: string): string | undefined {
	let at = -1;
	for (const scheme of ['http://', 'https://', 'unix://']) {
		const i = text.indexOf(scheme);
		if (i >= 0 && (at < 0 || i < at)) at = i;
	}
	if (at < 0) return undefined;
	let end = at;
	while (end < text.length) {
		const c = text[end];
		if (c === ' ' || c === '"' || c === "'" || c === '\n' || c === '\t') break;
		end++;
	}
	let url = text.slice(at, end);
	while (url.endsWith(':') || url.endsWith(',')) url = url.slice(0, -1);
	return url;
}

/** A JSON object flattened to `a.b.c: value` strings for the config table. */
export function flattenConfig(
	obj: unknown,
	prefix = '',
	out: Record<string, string> = {},
	depth = 0
) {
	if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
		if (prefix) out[prefix] = typeof obj === 'string' ? obj : JSON.stringify(obj);
		return out;
	}
	for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
		if (Object.keys(out).length >= 1000) break;
		const key = prefix ? `${prefix}.${k}` : k;
		if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < 4) {
			flattenConfig(v, key, out, depth + 1);
		} else {
			out[key] = typeof v === 'string' ? v : JSON.stringify(v);
		}
	}
	return out;
}

/**
 * The JSON object that starts at the first `{` of `text`: parsed exactly when it is whole, else
 * read loosely (a dump cut or wrapped by hand). `complete` says which.
 */
export function readJsonObject(text: string): { obj: Record<string, unknown>; complete: boolean } {
	const open = text.indexOf('{');
	if (open < 0) return { obj: {}, complete: false };
	const end = jsonEnd(text, open);
	if (end > 0) {
		try {
			const parsed = JSON.parse(text.slice(open, end));
			if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
				return { obj: parsed as Record<string, unknown>, complete: true };
			}
		} catch {
			/* fall back to the loose reading */
		}
	}
	return { obj: looseJson(text.slice(open)), complete: false };
}

/** Every value of a JSON object as text (the raw configuration table). */
export function textValues(obj: Record<string, unknown>): Record<string, string> {
	const raw: Record<string, string> = {};
	for (const [k, v] of Object.entries(obj)) {
		const s = str(v);
		if (s !== undefined) raw[k] = s;
	}
	return raw;
}

/** Net count of `{`/`[` minus `}`/`]` outside JSON strings in one line (strings never span lines). */
export function jsonBalance(text: string): number {
	const json = new JsonDepth();
	json.feed(text);
	return json.depth;
}

/** Depth of `{`/`[` left open in JSON text fed line by line, strings skipped; linear. */
export class JsonDepth {
	depth = 0;
	started = false;
	private inString = false;
	private escape = false;

	feed(text: string): void {
		for (let i = 0; i < text.length; i++) {
			const c = text.charCodeAt(i);
			if (this.inString) {
				if (this.escape) this.escape = false;
				else if (c === 92) this.escape = true;
				else if (c === 34) this.inString = false;
			} else if (c === 34) this.inString = true;
			else if (c === 123 || c === 91) {
				this.depth++;
				this.started = true;
			} else if (c === 125 || c === 93) this.depth--;
		}
	}

	get complete(): boolean {
		return this.started && this.depth <= 0;
	}
}

/**
 * `s` as a string of its own. V8 cuts a substring of 13+ characters as a view that keeps the
 * whole string it was cut from alive, and keeps a concatenation as a tree of its parts: a field
 * or summary kept until the file ends would hold its whole line (and the GC copy it again and
 * again). Reading a character of the new concatenation flattens it into one plain string.
 */
export function detach(s: string): string {
	if (s.length < 13) return s; // V8 copies short substrings
	const copy = s[0] + s.slice(1);
	copy.charCodeAt(0);
	return copy;
}
