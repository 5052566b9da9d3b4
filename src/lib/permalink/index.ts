// Permalinks: an analysis shared as a link whose data lives in the URL hash. Pure TypeScript (no
// DOM, no Svelte): it runs on the page, in the worker and in vitest. Nothing here sends anything.
//
// Sharing (the Share dialog)
//   createShareLink({ texts, source, origin, mode?, view?, redact?, title?, maxLength? })
//     → ShareLink { url, hash, length, fit, envelope, level, fitsBudget, complete,
//                   tooLongForLink, replacements, redactionProblems }
//     `source` is the core Analysis or the worker's AnalysisView; `texts[i]` the text of file i.
//     mode 'excerpt' (default) builds the diagnosis excerpt and trims it level by level
//     (EXCERPT_LEVELS) until the link is ≤ maxLength (2,000, Discord); `level` says how far
//     it went, `fitsBudget` whether it made it. mode 'whole' sends every line; when
//     `tooLongForLink` (> WHOLE_LOG_MAX_LINK) offer downloadGzip(text) → .log.gz bytes instead.
//     `redact` (RedactOptions) redacts what is shared; `replacements` is the preview
//     ({kind, original, token, count}) the user accepts before copying. Write the hash with
//     history.replaceState.
//   linkFit(length) → { fits: ['discord','slack'], level, message } for the live length meter.
//   Lower level: buildExcerpt(texts, source, options) → ShareFile[]; redactText(text, options)
//     → { text, replacements, notes, problems, complete }; Redactor (line by line, consistent
//     tokens); checkCustomPattern(p) → error sentence | null, to validate a pattern as it is typed;
//     encodePermalink(envelope) → '#L1.…'.
//
// Opening a link
//   tryDecodePermalink(location.hash) → { ok: true, envelope, warnings, version }
//                                     | { ok: false, error: PermalinkError, recovered? }
//     (decodePermalink throws the PermalinkError instead.) error.code is 'not-a-permalink',
//     'unknown-version', 'truncated', 'corrupt', 'too-large' or 'invalid'; error.message is the
//     sentence to show. `recovered` (truncated, newer version, invalid) holds the files that
//     could still be read: open them, say what was lost. looksLikePermalink(text) tells a pasted
//     link from a pasted log.
//   editorFile(envelope.files[i]) → EditorFile { text, origin, times, clippedFrom, gaps }: the
//     text for the editor, with the original line number of every editor line (gutter), runs
//     collapsed into one line (times > 1), cut lines, and the omitted ranges. Analyse `text`
//     with analyze(text, { tracer: envelope.tracer }) (an excerpt may lack the detection lines),
//     then map lines with toOriginalLine / toEditorLine. view.selected is {file, line} in the
//     ORIGINAL numbering: toEditorLine(file, line) finds it again; view.zoom is in the original
//     axis units.
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
