// The link format, version 1:  #L1.<base64url(deflate-raw(UTF-8 JSON of a ShareEnvelope))>
// The plain prefix is read before anything is decompressed, so a later format (L2: a preset
// dictionary, binary framing) can be told apart and L1 links stay readable forever.
import { decodeBase64url, encodeBase64url } from './base64url';
import { deflateRaw, inflateRaw } from './deflate';
import {
	salvageEnvelope,
	validateEnvelope,
	type RecoveredShare,
	type ShareEnvelope
} from './envelope';
import { PermalinkError } from './errors';
import { parsePartialJson } from './partial-json';

export const FORMAT_KIND = 'L';
export const FORMAT_VERSION = 1;
const PREFIX = `${FORMAT_KIND}${FORMAT_VERSION}.`;

/** Most JSON a link may expand to (a zip-bomb guard); far beyond any link a browser accepts. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

export interface DecodeOptions {
	/** Cap on the inflated JSON, in bytes (default MAX_JSON_BYTES). */
	maxJsonBytes?: number;
}

export interface Decoded {
	envelope: ShareEnvelope;
	/** Parts of the view that were unreadable and dropped; show them quietly. */
	warnings: string[];
	/** The format version of the link. */
	version: number;
}

/** Encodes an envelope as a hash, `#L1.…` (with the leading '#'). */
export async function encodePermalink(envelope: ShareEnvelope): Promise<string> {
	const json = JSON.stringify(orderedEnvelope(envelope));
	const packed = await deflateRaw(new TextEncoder().encode(json));
	return `#${PREFIX}${encodeBase64url(packed)}`;
}

/** The full link: `base` without its own hash, then the hash. */
export function permalinkUrl(base: string, hash: string): string {
	const cut = base.indexOf('#');
	return (cut >= 0 ? base.slice(0, cut) : base) + (hash.startsWith('#') ? hash : `#${hash}`);
}

/** True when the text (a URL, a hash or the bare payload) carries an L-format prefix. */
export function looksLikePermalink(text: string): boolean {
	return splitHash(text) !== null;
}

/**
 * Decodes a link, a hash (`#L1.…`) or the part after '#'. Throws a PermalinkError; for
 * 'truncated' and 'unknown-version' its `recovered` holds the log text that could still be read.
 */
export async function decodePermalink(
	input: string,
	options: DecodeOptions = {}
): Promise<Decoded> {
	const parts = splitHash(input);
	if (!parts) throw new PermalinkError('not-a-permalink');
	const { version, payload } = parts;
	const maxJsonBytes = options.maxJsonBytes ?? MAX_JSON_BYTES;

	if (version !== FORMAT_VERSION) {
		// A newer (or unknown) format: try to read it as L1 anyway, for its text only.
		const recovered = await salvage(payload, maxJsonBytes).catch(() => undefined);
		throw new PermalinkError('unknown-version', {
			message:
				version > FORMAT_VERSION
					? `This link was made by a newer version of tracelens (format ${version}); this page reads format ${FORMAT_VERSION}.` +
						(recovered
							? ' The log text it holds is shown, without the rest of the shared view.'
							: '')
					: `This link uses format ${version}, which tracelens does not know.`,
			detail: `version ${version}`,
			recovered
		});
	}

	const decoded = decodeBase64url(payload);
	if (!decoded) {
		throw new PermalinkError('corrupt', { detail: 'characters outside base64url' });
	}
	if (decoded.bytes.length === 0) throw new PermalinkError(decoded.cut ? 'truncated' : 'corrupt');
	const inflated = await inflateRaw(decoded.bytes, maxJsonBytes);
	if (inflated.problem === 'too-large') {
		throw new PermalinkError('too-large', {
			message: `This link expands to more than ${formatBytes(maxJsonBytes)}, more than tracelens accepts from a link; it was not opened.`,
			detail: `cap ${maxJsonBytes} bytes`
		});
	}
	// stream: true holds back a UTF-8 sequence cut at the end instead of turning it into U+FFFD
	const text = new TextDecoder('utf-8').decode(inflated.bytes, { stream: true });
	let value: unknown;
	let parseError: string | undefined;
	if (!inflated.problem) {
		try {
			value = JSON.parse(text);
		} catch (e) {
			parseError = e instanceof Error ? e.message : String(e);
		}
	}
	if (inflated.problem || parseError !== undefined) {
		// The data stopped early or is not whole JSON. If what came out is the start of our JSON,
		// the link was cut (the usual cause: a chat app); anything else is damage.
		const partial = text.length > 0 ? parsePartialJson(text) : null;
		const stoppedEarly = decoded.cut || inflated.problem === 'truncated';
		if (text.length > 0 ? partial === null || partial.complete : !stoppedEarly) {
			throw new PermalinkError('corrupt', { detail: inflated.detail ?? parseError });
		}
		const recovered = partial ? salvageEnvelope(partial.value, false) : undefined;
		throw new PermalinkError('truncated', {
			message: recovered
				? 'This link is incomplete: it was probably cut off by a chat app. The beginning of the log it holds is shown; ask for the whole link, or for the log as a .log.gz file.'
				: undefined,
			detail: inflated.detail ?? parseError,
			recovered
		});
	}
	const checked = validateEnvelope(value);
	if (!checked.ok) {
		throw new PermalinkError('invalid', {
			detail: checked.reason,
			recovered: salvageEnvelope(value, true)
		});
	}
	return { envelope: checked.envelope, warnings: checked.warnings, version };
}

export type DecodeResult =
	({ ok: true } & Decoded) | { ok: false; error: PermalinkError; recovered?: RecoveredShare };

/** `decodePermalink` that never throws: for the page that opens a link. */
export async function tryDecodePermalink(
	input: string,
	options: DecodeOptions = {}
): Promise<DecodeResult> {
	try {
		return { ok: true, ...(await decodePermalink(input, options)) };
	} catch (e) {
		const error =
			e instanceof PermalinkError
				? e
				: new PermalinkError('corrupt', { detail: e instanceof Error ? e.message : String(e) });
		return { ok: false, error, recovered: error.recovered };
	}
}

/** `L<version>.<payload>` from a URL, a hash or a bare payload; null when there is none. */
function splitHash(input: string): { version: number; payload: string } | null {
	let s = input.trim();
	const hash = s.indexOf('#');
	if (hash >= 0) s = s.slice(hash + 1);
	else if (/^[a-z][a-z0-9+.-]*:/i.test(s)) return null; // a URL without a hash
	const m = /^\s*L(\d{1,6})\./.exec(s);
	if (!m) return null;
	return { version: Number(m[1]), payload: s.slice(m[0].length) };
}

async function salvage(payload: string, maxJsonBytes: number): Promise<RecoveredShare | undefined> {
	const decoded = decodeBase64url(payload);
	if (!decoded || decoded.bytes.length === 0) return undefined;
	const inflated = await inflateRaw(decoded.bytes, maxJsonBytes);
	if (inflated.problem === 'too-large') return undefined;
	const partial = parsePartialJson(
		new TextDecoder('utf-8').decode(inflated.bytes, { stream: true })
	);
	if (!partial) return undefined;
	return salvageEnvelope(partial.value, partial.complete && !inflated.problem && !decoded.cut);
}

/** Fixed key order: metadata first, the log text last (a cut link keeps the metadata). */
function orderedEnvelope(e: ShareEnvelope): ShareEnvelope {
	const out: ShareEnvelope = {} as ShareEnvelope;
	if (e.title !== undefined) out.title = e.title;
	if (e.tracer !== undefined) out.tracer = e.tracer;
	if (e.redactions?.length) out.redactions = e.redactions;
	if (e.view && (e.view.selected || e.view.filters?.length || e.view.zoom)) out.view = e.view;
	out.files = e.files.map((f) => {
		const file = { name: f.name, bytes: f.bytes, lines: f.lines } as typeof f;
		if (f.text !== undefined) file.text = f.text;
		else if (f.segments) {
			file.segments = f.segments.map((s) => {
				const seg = { start: s.start } as typeof s;
				if (s.repeats?.length) seg.repeats = s.repeats;
				if (s.clipped?.length) seg.clipped = s.clipped;
				seg.lines = s.lines;
				return seg;
			});
		}
		return file;
	});
	return out;
}

function formatBytes(n: number): string {
	return n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MB` : `${Math.round(n / 1024)} KB`;
}
