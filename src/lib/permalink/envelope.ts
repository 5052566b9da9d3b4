// The JSON inside a link, its types, and the hand-written validator run on every decoded link.
// A link comes from anyone: every field is checked for type and size, and nothing in it is ever
// rendered as HTML by this module.
import { TRACER_IDS, type DetectedTracer } from '../core/model';

/** A run of consecutive lines of the original log, numbered as in the original. */
export interface Segment {
	/** 1-based original number of `lines[0]`. */
	start: number;
	lines: string[];
	/** [index in `lines`, n]: that line stands for n identical consecutive original lines. */
	repeats?: [number, number][];
	/** [index in `lines`, original length]: that line was cut to what `lines` holds. */
	clipped?: [number, number][];
}

/** One shared file: the whole text, or the segments of an excerpt. */
export interface ShareFile {
	name: string;
	/** Size of the original file (UTF-8 bytes, lines), also for an excerpt. */
	bytes: number;
	lines: number;
	/** The whole log, byte for byte (as a string). */
	text?: string;
	/** An excerpt: sorted, non-overlapping segments with their original line numbers. */
	segments?: Segment[];
}

export const SHARE_FILTER_FIELDS = [
	'kind',
	'level',
	'service',
	'trace',
	'text',
	'file',
	'tracer'
] as const;
export type ShareFilterField = (typeof SHARE_FILTER_FIELDS)[number];

/** One filter chip of the event list (same shape as the worker's FilterChip). */
export interface ShareFilter {
	field: ShareFilterField;
	value: string;
	not?: boolean;
}

export interface ShareView {
	/** The selected event, by where it is in the ORIGINAL log (ids change with the text). */
	selected?: { file: number; line: number };
	filters?: ShareFilter[];
	/** The timeline window, in the units of the original analysis axis (epoch ms or line order). */
	zoom?: { axis: 'time' | 'line'; x0: number; x1: number };
}

/** What redaction replaced: kinds and counts only, never a value. */
export interface RedactionNote {
	kind: string;
	/** Distinct values replaced, and how many times in all. */
	values: number;
	count: number;
}

export interface ShareEnvelope {
	title?: string;
	tracer?: DetectedTracer;
	redactions?: RedactionNote[];
	view?: ShareView;
	/** Last in the JSON on purpose: a link cut short loses the end of the log, not its metadata. */
	files: ShareFile[];
}

/** What a truncated or future-version link still gave back. */
export interface RecoveredShare {
	title?: string;
	tracer?: DetectedTracer;
	view?: ShareView;
	files: ShareFile[];
	/** False when the log text stops early (the last line may be cut). */
	complete: boolean;
}

export const LIMITS = {
	files: 64,
	name: 1024,
	title: 1024,
	filters: 64,
	filterValue: 1024,
	redactionKinds: 64,
	/** Segments per file and line entries per segment. */
	segments: 100_000,
	/** Numbers must be safe integers. */
	lineNumber: Number.MAX_SAFE_INTEGER
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

class Invalid extends Error {}

function fail(where: string, what: string): never {
	throw new Invalid(`${where}: ${what}`);
}

function isObj(v: unknown): v is Obj {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: Json | undefined, where: string, max: number): string {
	if (typeof v !== 'string') fail(where, 'not a string');
	if (v.length > max) fail(where, 'too long');
	return v;
}

function int(v: Json | undefined, where: string, min = 0): number {
	if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) fail(where, 'not an integer');
	return v;
}

function finite(v: Json | undefined, where: string): number {
	if (typeof v !== 'number' || !Number.isFinite(v)) fail(where, 'not a number');
	return v;
}

function arr(v: Json | undefined, where: string, max: number): Json[] {
	if (!Array.isArray(v)) fail(where, 'not a list');
	if (v.length > max) fail(where, 'too many items');
	return v;
}

function pairs(v: Json | undefined, where: string, lines: number, minSecond: number) {
	const out: [number, number][] = [];
	let last = -1;
	for (const [i, p] of arr(v, where, lines).entries()) {
		const pair = arr(p, `${where}[${i}]`, 2);
		const index = int(pair[0], `${where}[${i}][0]`);
		if (index >= lines || index <= last) fail(`${where}[${i}]`, 'index out of order or range');
		last = index;
		out.push([index, int(pair[1], `${where}[${i}][1]`, minSecond)]);
	}
	return out;
}

function segment(v: Json, where: string, after: number): Segment {
	if (!isObj(v)) fail(where, 'not an object');
	const start = int(v.start, `${where}.start`, 1);
	if (start <= after) fail(`${where}.start`, 'segments overlap or are out of order');
	const lines = arr(v.lines, `${where}.lines`, LIMITS.segments).map((l, i) =>
		str(l, `${where}.lines[${i}]`, Infinity)
	);
	if (lines.length === 0) fail(`${where}.lines`, 'empty');
	const seg: Segment = { start, lines };
	if (v.repeats !== undefined) seg.repeats = pairs(v.repeats, `${where}.repeats`, lines.length, 2);
	if (v.clipped !== undefined) seg.clipped = pairs(v.clipped, `${where}.clipped`, lines.length, 1);
	return seg;
}

/** Original lines a segment covers (a repeated line covers n). */
export function segmentSpan(seg: Segment): number {
	let n = seg.lines.length;
	for (const [, times] of seg.repeats ?? []) n += times - 1;
	return n;
}

function file(v: Json, where: string): ShareFile {
	if (!isObj(v)) fail(where, 'not an object');
	const f: ShareFile = {
		name: str(v.name, `${where}.name`, LIMITS.name),
		bytes: int(v.bytes, `${where}.bytes`),
		lines: int(v.lines, `${where}.lines`)
	};
	if ((v.text === undefined) === (v.segments === undefined)) {
		fail(where, 'needs exactly one of text and segments');
	}
	if (v.text !== undefined) f.text = str(v.text, `${where}.text`, Infinity);
	else {
		let after = 0;
		f.segments = arr(v.segments, `${where}.segments`, LIMITS.segments).map((s, i) => {
			const seg = segment(s, `${where}.segments[${i}]`, after);
			after = seg.start + segmentSpan(seg) - 1;
			return seg;
		});
	}
	return f;
}

function tracer(v: Json | undefined): DetectedTracer | undefined {
	if (v === 'unknown' || (TRACER_IDS as readonly Json[]).includes(v as Json)) {
		return v as DetectedTracer;
	}
	return undefined;
}

/** The view is advisory: a malformed part is dropped (with a warning), never fatal. */
function view(v: Json | undefined, warnings: string[]): ShareView | undefined {
	if (v === undefined) return undefined;
	if (!isObj(v)) {
		warnings.push('The shared view was unreadable and was ignored.');
		return undefined;
	}
	const out: ShareView = {};
	try {
		if (v.selected !== undefined) {
			if (!isObj(v.selected)) fail('view.selected', 'not an object');
			out.selected = {
				file: int(v.selected.file, 'view.selected.file'),
				line: int(v.selected.line, 'view.selected.line', 1)
			};
		}
	} catch {
		warnings.push('The selected event of the link was unreadable and was ignored.');
	}
	try {
		if (v.filters !== undefined) {
			const filters: ShareFilter[] = [];
			for (const [i, f] of arr(v.filters, 'view.filters', LIMITS.filters).entries()) {
				if (!isObj(f)) fail(`view.filters[${i}]`, 'not an object');
				const field = str(f.field, `view.filters[${i}].field`, 64);
				if (!(SHARE_FILTER_FIELDS as readonly string[]).includes(field)) {
					warnings.push(`A filter on "${field}" is not known to this version and was ignored.`);
					continue;
				}
				const chip: ShareFilter = {
					field: field as ShareFilterField,
					value: str(f.value, `view.filters[${i}].value`, LIMITS.filterValue)
				};
				if (f.not === true) chip.not = true;
				filters.push(chip);
			}
			out.filters = filters;
		}
	} catch {
		warnings.push('The filters of the link were unreadable and were ignored.');
	}
	try {
		if (v.zoom !== undefined) {
			if (!isObj(v.zoom)) fail('view.zoom', 'not an object');
			const axis = v.zoom.axis;
			if (axis !== 'time' && axis !== 'line') fail('view.zoom.axis', 'unknown axis');
			const x0 = finite(v.zoom.x0, 'view.zoom.x0');
			const x1 = finite(v.zoom.x1, 'view.zoom.x1');
			if (x1 < x0) fail('view.zoom', 'x1 before x0');
			out.zoom = { axis, x0, x1 };
		}
	} catch {
		warnings.push('The timeline zoom of the link was unreadable and was ignored.');
	}
	return out;
}

function redactions(v: Json | undefined): RedactionNote[] | undefined {
	if (v === undefined) return undefined;
	return arr(v, 'redactions', LIMITS.redactionKinds).map((r, i) => {
		if (!isObj(r)) fail(`redactions[${i}]`, 'not an object');
		return {
			kind: str(r.kind, `redactions[${i}].kind`, 64),
			values: int(r.values, `redactions[${i}].values`),
			count: int(r.count, `redactions[${i}].count`)
		};
	});
}

export type Validated =
	{ ok: true; envelope: ShareEnvelope; warnings: string[] } | { ok: false; reason: string };

/** Checks a parsed JSON value against the envelope shape; unknown keys are ignored. */
export function validateEnvelope(value: unknown): Validated {
	const warnings: string[] = [];
	try {
		if (!isObj(value)) fail('envelope', 'not an object');
		const files = arr(value.files, 'files', LIMITS.files).map((f, i) => file(f, `files[${i}]`));
		if (files.length === 0) fail('files', 'empty');
		const envelope: ShareEnvelope = { files };
		if (value.title !== undefined) envelope.title = str(value.title, 'title', LIMITS.title);
		if (value.tracer !== undefined) {
			envelope.tracer = tracer(value.tracer);
			if (!envelope.tracer) warnings.push('The tracer named by the link is not known here.');
		}
		const red = redactions(value.redactions);
		if (red) envelope.redactions = red;
		const v = view(value.view, warnings);
		if (v) envelope.view = v;
		return { ok: true, envelope, warnings };
	} catch (e) {
		if (e instanceof Invalid) return { ok: false, reason: e.message };
		throw e;
	}
}

/**
 * Takes whatever log text a damaged, partial or newer-format value holds: any `files[i]` with a
 * string `text`, or `segments` with a numeric `start` and string `lines`. Never throws.
 */
export function salvageEnvelope(value: unknown, complete: boolean): RecoveredShare | undefined {
	if (!isObj(value)) return undefined;
	const files: ShareFile[] = [];
	const list = Array.isArray(value.files) ? value.files.slice(0, LIMITS.files) : [];
	for (const [i, f] of list.entries()) {
		if (!isObj(f)) continue;
		const name = typeof f.name === 'string' ? f.name.slice(0, LIMITS.name) : `file-${i + 1}`;
		const num = (x: Json | undefined) =>
			typeof x === 'number' && Number.isSafeInteger(x) && x >= 0 ? x : 0;
		const out: ShareFile = { name, bytes: num(f.bytes), lines: num(f.lines) };
		if (typeof f.text === 'string') out.text = f.text;
		else if (Array.isArray(f.segments)) {
			const segments: Segment[] = [];
			let after = 0;
			for (const s of f.segments) {
				if (!isObj(s) || !Array.isArray(s.lines)) continue;
				const start = num(s.start);
				const lines = s.lines.filter((l): l is string => typeof l === 'string');
				if (start <= after || lines.length === 0) continue;
				const seg: Segment = { start, lines };
				try {
					if (s.repeats !== undefined) seg.repeats = pairs(s.repeats, 'r', lines.length, 2);
				} catch {
					/* keep the lines without their repeat counts */
				}
				try {
					if (s.clipped !== undefined) seg.clipped = pairs(s.clipped, 'c', lines.length, 1);
				} catch {
					/* keep the lines without their clip marks */
				}
				segments.push(seg);
				after = start + segmentSpan(seg) - 1;
			}
			if (segments.length === 0) continue;
			out.segments = segments;
		} else continue;
		files.push(out);
	}
	if (files.length === 0) return undefined;
	const recovered: RecoveredShare = { files, complete };
	if (typeof value.title === 'string') recovered.title = value.title.slice(0, LIMITS.title);
	const t = tracer(value.tracer);
	if (t) recovered.tracer = t;
	const v = view(value.view, []);
	if (v && (v.selected || v.filters || v.zoom)) recovered.view = v;
	return recovered;
}
