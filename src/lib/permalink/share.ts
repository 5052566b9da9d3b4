// From an analysed log to a link: redaction, excerpt (trimmed step by step until it fits the
// chat limit), envelope, hash, length.
import type { DetectedTracer } from '../core/model';
import { encodePermalink, permalinkUrl } from './codec';
import { gzip } from './deflate';
import type { RedactionNote, ShareEnvelope, ShareFile, ShareView } from './envelope';
import {
	buildExcerpt,
	DEFAULT_EXCERPT,
	prepareTexts,
	type ExcerptOptions,
	type ExcerptSource,
	type PreparedText
} from './excerpt';
import { CHAT_LIMITS, linkFit, WHOLE_LOG_MAX_LINK, type LinkFit } from './meter';
import {
	redactFiles,
	Redactor,
	type RedactionProblem,
	type RedactOptions,
	type Replacement
} from './redact';

/**
 * Excerpt levels, from the default to the tightest. Key lines (configuration, evidence, the
 * selected event) stay whole until level 4: the analysis of the excerpt needs them. Long events
 * (stack traces) keep their first and last lines.
 */
export const EXCERPT_LEVELS: ExcerptOptions[] = [
	{ ...DEFAULT_EXCERPT },
	{ context: 3, head: 10, tail: 10, maxLineChars: 500 },
	{ context: 2, head: 5, tail: 5, maxLineChars: 300 },
	{ context: 1, head: 3, tail: 3, maxLineChars: 200, maxEventLines: 20 },
	{ context: 1, head: 2, tail: 2, maxLineChars: 120, maxKeyLineChars: 4000, maxEventLines: 12 },
	{ context: 0, head: 1, tail: 1, maxLineChars: 100, maxKeyLineChars: 2000, maxEventLines: 12 },
	{
		context: 0,
		head: 1,
		tail: 1,
		maxLineChars: 80,
		maxKeyLineChars: 600,
		maxEventLines: 4,
		maxConfigRecords: 1
	}
];

export interface ShareRequest {
	/** The text of every analysed file, in the order of `source.files` ([] with `prepared`). */
	texts: string[];
	/**
	 * The files already split into lines, instead of `texts` for an excerpt. The lines may be
	 * sparse: only those `excerptMarks` names for the default level (a big file read in part).
	 * The whole log is tried first only when `texts` holds every file.
	 */
	prepared?: PreparedText[];
	/** The selected event in the numbering of the texts, when it differs from `view.selected`
	 *  (a shared excerpt shared again: the view is in the original numbering). */
	excerptSelected?: { file: number; line: number };
	/** Applied to the files before they are encoded (e.g. `toOriginalFiles` when the texts are a
	 *  shared excerpt). */
	mapFiles?: (files: ShareFile[]) => ShareFile[];
	/** The analysis (core `Analysis` or worker `AnalysisView`): evidence, events, file names. */
	source: ExcerptSource;
	/** 'excerpt' (default): the diagnosis excerpt; 'whole': every line. */
	mode?: 'excerpt' | 'whole';
	/** Page address the hash is appended to, e.g. location.origin + location.pathname. */
	origin: string;
	title?: string;
	/** Defaults to `source.tracer`. */
	tracer?: DetectedTracer;
	/** Selected event (original numbering), filters, zoom; the selected event joins the excerpt. */
	view?: ShareView;
	/** Redaction to apply, or false/undefined for none. */
	redact?: RedactOptions | false;
	/** Longest link the excerpt is trimmed to fit (default 2,000: Discord). */
	maxLength?: number;
	/** Start from these excerpt options instead of the default levels (no trimming then). */
	excerpt?: ExcerptOptions;
}

export interface ShareLink {
	url: string;
	hash: string;
	length: number;
	fit: LinkFit;
	mode: 'excerpt' | 'whole';
	envelope: ShareEnvelope;
	/** Index in EXCERPT_LEVELS used (0: the default excerpt); -1 for a whole log. */
	level: number;
	/** False when even the tightest excerpt is longer than `maxLength`. */
	fitsBudget: boolean;
	/** A whole log above WHOLE_LOG_MAX_LINK: offer `downloadGzip` instead of the link. */
	tooLongForLink: boolean;
	/** True when the excerpt holds every line of the log (it is then sent as the whole log). */
	complete: boolean;
	/** What redaction replaced (the preview), and custom patterns that failed. */
	replacements: Replacement[];
	redactionProblems: RedactionProblem[];
}

export async function createShareLink(req: ShareRequest): Promise<ShareLink> {
	const mode = req.mode ?? 'excerpt';
	const maxLength = req.maxLength ?? CHAT_LIMITS[0].max;
	const base = {
		title: req.title,
		tracer: req.tracer ?? req.source.tracer,
		view: req.view
	};
	const names = req.source.files.map((f) => f.name);

	if (mode === 'whole') {
		return finish(req, 'whole', -1, wholeFiles(req.texts, names, req.redact), base, maxLength);
	}

	const prepared = req.prepared ?? prepareTexts(req.texts);
	// A log whose whole text fits the budget is shared whole: nothing to leave out. (Deflate
	// rarely packs a log more than 32 times, so larger logs are not even tried.)
	const totalBytes = prepared.reduce((n, p) => n + p.bytes, 0);
	const haveTexts = req.texts.length === names.length;
	if (!req.excerpt && haveTexts && totalBytes <= maxLength * 32) {
		const whole = wholeFiles(req.texts, names, req.redact);
		const link = await finish(req, 'whole', -1, whole, base, maxLength);
		if (link.fitsBudget) return { ...link, mode: 'excerpt' };
	}
	const levels = req.excerpt ? [{ ...DEFAULT_EXCERPT, ...req.excerpt }] : EXCERPT_LEVELS;
	let last: ShareLink | undefined;
	for (const [level, options] of levels.entries()) {
		const excerptOptions = {
			...options,
			selected: req.excerptSelected ?? req.view?.selected ?? options.selected
		};
		let redacted: Redacted = { files: [], replacements: [], notes: [], problems: [] };
		if (req.redact) {
			// redact each kept line before it is cut, so a cut never leaves half a secret; a first
			// build teaches the redactor every value, so tokens are the same on every line
			const redactor = new Redactor(req.redact);
			buildExcerpt(prepared, req.source, {
				...excerptOptions,
				mapLine: (l) => (redactor.prime(l), l)
			});
			redacted.files = buildExcerpt(prepared, req.source, {
				...excerptOptions,
				mapLine: (l) => redactor.line(l)
			});
			redacted = {
				files: redacted.files,
				replacements: redactor.replacements,
				notes: redactor.notes(),
				problems: [...redactor.problems]
			};
		} else redacted.files = buildExcerpt(prepared, req.source, excerptOptions);
		last = await finish(req, 'excerpt', level, redacted, base, maxLength);
		if (last.fitsBudget) return last;
	}
	return last!;
}

interface Redacted {
	files: ShareFile[];
	replacements: Replacement[];
	notes: RedactionNote[];
	problems: RedactionProblem[];
}

function wholeFiles(
	texts: string[],
	names: string[],
	redact: RedactOptions | false | undefined
): Redacted {
	const files: ShareFile[] = texts.map((text, i) => {
		const prepared = prepareTexts([text])[0];
		return {
			name: names[i] ?? `file-${i + 1}`,
			bytes: prepared.bytes,
			lines: prepared.lines.length,
			text
		};
	});
	if (!redact) return { files, replacements: [], notes: [], problems: [] };
	return redactFiles(files, redact);
}

/** True when the files hold every line of the log, whole. */
function coversEverything(files: ShareFile[]): boolean {
	return files.every((f) => {
		if (f.text !== undefined) return true;
		const s = f.segments ?? [];
		if (f.lines === 0) return s.length === 0;
		return (
			s.length === 1 &&
			s[0].start === 1 &&
			s[0].lines.length === f.lines &&
			!s[0].repeats?.length &&
			!s[0].clipped?.length
		);
	});
}

async function finish(
	req: ShareRequest,
	mode: 'excerpt' | 'whole',
	level: number,
	redacted: Redacted,
	base: Omit<ShareEnvelope, 'files'>,
	maxLength: number
): Promise<ShareLink> {
	const files = req.mapFiles ? req.mapFiles(redacted.files) : redacted.files;
	const envelope: ShareEnvelope = { ...base, files };
	if (redacted.notes.length) envelope.redactions = redacted.notes;
	for (const k of Object.keys(envelope) as (keyof ShareEnvelope)[]) {
		if (envelope[k] === undefined) delete envelope[k];
	}
	const hash = await encodePermalink(envelope);
	const url = permalinkUrl(req.origin, hash);
	return {
		url,
		hash,
		length: url.length,
		fit: linkFit(url.length),
		mode,
		envelope,
		level,
		fitsBudget: url.length <= maxLength,
		tooLongForLink: mode === 'whole' && url.length > WHOLE_LOG_MAX_LINK,
		complete: coversEverything(files),
		replacements: redacted.replacements,
		redactionProblems: redacted.problems
	};
}

/** The log as a .log.gz file (for a whole log too long for a link). Redact the text first. */
export async function downloadGzip(text: string): Promise<Uint8Array> {
	return gzip(new TextEncoder().encode(text));
}
