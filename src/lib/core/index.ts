// The public surface of the analysis core. Tests, the worker and the CLI import from here only.
export * from './model';
export { EventStore, SpanStore, TraceStore, LEVELS } from './store';
export {
	analyze,
	emptyAnalysis,
	type AnalyzeInput,
	type AnalyzeOptions,
	type Progress
} from './analyze';
export { ENABLE_DEBUG_HELP } from './diagnose';
export { LineSplitter, LineIndex, stripAnsi, MAX_LINE_BYTES } from './input/lines';
export {
	BLOB_SLICE,
	openSource,
	type PositionalFile,
	type Source,
	type SourceData
} from './input/source';
export {
	expandArchives,
	isZip,
	unzipLogs,
	ZIP_MAX_BYTES,
	type ExpandedSource
} from './input/archive';
export { TRACERS, tracerById } from './tracers/index';
export type { TracerParser } from './tracers/types';
