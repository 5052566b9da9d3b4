// Permalinks: an analysis shared as a link whose data lives in the URL hash. Pure TypeScript (no
// DOM, no Svelte): it runs on the page, in the worker and in vitest. Nothing here sends anything.
//
// Sharing (the Share dialog)
//   createShareLink({ texts, source, origin, mode?, view?, redact?, title?, maxLength? })
//     → ShareLink { url, hash, length, fit, envelope, level, fitsBudget, complete,
//                   tooLongForLink, replacements, redactionProblems }
//     `source` is the core Analysis or the worker's AnalysisView; `texts[i]` the text of file i.
//     mode 'excerpt' (default): a log whose whole text fits maxLength (2,000, Discord) is sent
//     whole (complete: true); otherwise the diagnosis excerpt (configuration, verdict evidence,
//     view.selected, detection lines, context, first and last lines, runs collapsed) is trimmed
//     level by level (EXCERPT_LEVELS) until the link fits: `level` says how far it went,
//     `fitsBudget` whether it made it. mode 'whole': every line; when `tooLongForLink`
//     (> WHOLE_LOG_MAX_LINK) offer downloadGzip(text) → .log.gz bytes instead.
//     `redact` (RedactOptions: apiKeys, credentials, ips, hosts, queries, keepLoopback, custom)
//     redacts what is shared, before long lines are cut; `replacements` ({kind, original, token,
//     count}) is the preview the user accepts, `redactionProblems` the custom patterns refused or
//     stopped. The envelope records kinds and counts only. Write the hash with replaceState.
//   linkFit(length) → { fits: ['discord','slack'], tooLongFor, level, message }: the length meter.
//   checkCustomPattern(p) → error sentence | null, to validate a pattern as the user types it.
//     Plain strings are searched with indexOf. Regexes are refused when they can backtrack badly
//     (nested or alternated repetition, backreferences, > 3 unbounded repeats), run on slices of
//     CUSTOM_WINDOW (512) characters overlapping by CUSTOM_OVERLAP (128) (a match is at most 128
//     characters long to be found whole), and stop at a time budget (customBudgetMs, 1 s). One
//     slice can't be interrupted: for patterns from elsewhere, run redaction in the worker.
//   For a big file held elsewhere (the worker's File): excerptMarks(lineCounts, source, options)
//     names the lines the default excerpt reads; pass them as sparse `prepared` lines (texts: []).
//   Re-sharing a shared excerpt: pass `excerptSelected` (editor numbering) and
//     `mapFiles: (f) => toOriginalFiles(f, editorFiles)` so the new link keeps original numbers.
//   Lower level: buildExcerpt(texts, source, options) → ShareFile[]; redactText(text, options)
//     → { text, replacements, notes, problems, complete } (line breaks and line count kept);
//     Redactor (prime(line) every line, then line(line): consistent tokens); redactFiles;
//     encodePermalink(envelope) → '#L1.…'; permalinkUrl(base, hash).
//
// Opening a link
//   tryDecodePermalink(location.hash) → { ok: true, envelope, warnings, version }
//                                     | { ok: false, error: PermalinkError, recovered? }
//     (decodePermalink throws the PermalinkError instead.) error.code is 'not-a-permalink',
//     'unknown-version', 'truncated', 'corrupt', 'too-large' or 'invalid'; error.message is the
//     sentence to show. `recovered` (truncated, newer version, invalid) holds the files that
//     could still be read (`complete: false` when the text stops early): open them and say what
//     was lost. `warnings`: parts of the view that were unreadable and dropped. Inflation stops
//     past MAX_JSON_BYTES (64 MB). looksLikePermalink(text) tells a pasted link from a log.
//   editorFile(envelope.files[i]) → EditorFile { text, origin, times, clippedFrom, gaps }: the
//     text for the editor, with the original line number of every editor line (gutter), runs
//     collapsed into one line (times > 1), cut lines (clippedFrom = original length) and the
//     omitted ranges. Analyse `text` with analyze(text, { tracer: envelope.tracer }) (an excerpt
//     may lack the detection lines), then map lines with toOriginalLine / toEditorLine.
//     view.selected is {file, line} in the ORIGINAL numbering (toEditorLine(ef, line) finds it
//     again); view.filters are the event-list chips; view.zoom is in the original axis units.
export {
	decodePermalink,
	encodePermalink,
	looksLikePermalink,
	permalinkUrl,
	tryDecodePermalink,
	FORMAT_VERSION,
	MAX_JSON_BYTES,
	type DecodeOptions,
	type DecodeResult,
	type Decoded
} from './codec';
export { PermalinkError, isPermalinkError, type PermalinkErrorCode } from './errors';
export {
	SHARE_FILTER_FIELDS,
	segmentSpan,
	validateEnvelope,
	type RecoveredShare,
	type RedactionNote,
	type Segment,
	type ShareEnvelope,
	type ShareFile,
	type ShareFilter,
	type ShareFilterField,
	type ShareView
} from './envelope';
export {
	buildExcerpt,
	editorFile,
	excerptMarks,
	prepareTexts,
	toEditorLine,
	toOriginalLine,
	DEFAULT_EXCERPT,
	type EditorFile,
	type EventColumnsLike,
	type EventLines,
	type ExcerptOptions,
	type ExcerptSource,
	type PreparedText
} from './excerpt';
export { CHAT_LIMITS, WHOLE_LOG_MAX_LINK, linkFit, type ChatId, type LinkFit } from './meter';
export {
	checkCustomPattern,
	redactFiles,
	redactText,
	Redactor,
	CUSTOM_OVERLAP,
	CUSTOM_WINDOW,
	type CustomPattern,
	type RedactionKind,
	type RedactionProblem,
	type RedactionResult,
	type RedactOptions,
	type Replacement
} from './redact';
export {
	createShareLink,
	downloadGzip,
	EXCERPT_LEVELS,
	type ShareLink,
	type ShareRequest
} from './share';
export { splitLines } from './lines';
export { originalLineOf, toOriginalFiles, type LineMap } from './remap';
