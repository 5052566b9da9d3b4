// Columnar storage of the events, spans and traces of an analysis: typed arrays and string tables
// instead of one object each (a 1 GB log holds millions of them: as objects they took more memory
// than the file). Reading goes through an array-like API that builds a plain object
// per row on demand; the hot readers (view, assembly, verdict) read the columns.
import {
	EVENT_KINDS,
	type EventFields,
	type EventKind,
	type FieldValue,
	type Level,
	type LogEvent,
	TRACER_IDS,
	type TracerId
} from './model';
import type { NewEvent, Span, Trace } from './model';

/** Index of each kind in EVENT_KINDS. */
const KIND_INDEX = new Map<string, number>(EVENT_KINDS.map((k, i) => [k, i]));

/** Level of an event by index; 0 is "no level". */
export const LEVELS: readonly (Level | '')[] = [
	'',
	'trace',
	'debug',
	'info',
	'warn',
	'error',
	'fatal'
];
const LEVEL_INDEX = new Map<string, number>(LEVELS.map((l, i) => [l, i]));

const FIRST_CAPACITY = 1024;
/**
 * Rows a column reserves address space for. Columns live on resizable buffers: they grow and
 * shrink in place, with no copy, and room not yet written costs no memory. Past this many rows a
 * column moves to a reservation four times as big.
 */
const RESERVED_ROWS = 1 << 22;

type Column = Float64Array | Int32Array | Uint16Array | Uint8Array;
type ColumnClass<T extends Column> = { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number };

/**
 * Resizable buffers came with Chrome 111, Firefox 128, Safari 16.4 and Node 20: without them a
 * column is a plain typed array, copied as it grows.
 */
const RESIZABLE = typeof (ArrayBuffer.prototype as { resize?: unknown }).resize === 'function';

/** An empty column whose length follows its buffer. */
function column<T extends Column>(Type: ColumnClass<T>, rows = RESERVED_ROWS): T {
	if (!RESIZABLE) return new Type(new ArrayBuffer(0));
	return new Type(new ArrayBuffer(0, { maxByteLength: rows * Type.BYTES_PER_ELEMENT }));
}

/** Column `c` holding `n` rows: the same column resized, or a copy on a bigger reservation. */
function withRows<T extends Column>(c: T, n: number): T {
	if (!RESIZABLE) {
		const out = new (c.constructor as ColumnClass<T>)(new ArrayBuffer(n * c.BYTES_PER_ELEMENT));
		out.set(n < c.length ? c.subarray(0, n) : c);
		return out;
	}
	const bytes = n * c.BYTES_PER_ELEMENT;
	const buffer = c.buffer as ArrayBuffer;
	if (bytes <= buffer.maxByteLength) {
		buffer.resize(bytes);
		return c;
	}
	const out = column(c.constructor as ColumnClass<T>, n * 4);
	(out.buffer as ArrayBuffer).resize(bytes);
	out.set(c);
	return out;
}

const CHUNK_BITS = 13; // 8192 slots: a chunk stays a fast array (a bigger preallocated one may not)
const CHUNK = 1 << CHUNK_BITS;

/** A list kept in chunks: growing it copies nothing, and only its last chunk has room to spare. */
export class ChunkedList<T> {
	private chunks: T[][] = [];
	length = 0;

	push(value: T): void {
		const i = this.length;
		if ((i & (CHUNK - 1)) === 0) this.chunks.push(new Array<T>(CHUNK));
		this.chunks[i >>> CHUNK_BITS][i & (CHUNK - 1)] = value;
		this.length = i + 1;
	}
	get(i: number): T {
		return this.chunks[i >>> CHUNK_BITS][i & (CHUNK - 1)];
	}
	set(i: number, value: T): void {
		this.chunks[i >>> CHUNK_BITS][i & (CHUNK - 1)] = value;
	}
	/** Keeps the first `n` items. */
	truncate(n: number): void {
		if (n >= this.length) return;
		this.chunks.length = Math.ceil(n / CHUNK);
		const last = this.chunks[this.chunks.length - 1];
		if (last) last.fill(undefined as T, n & (CHUNK - 1) || CHUNK);
		this.length = n;
	}
}

/** Strings by index, each stored once; -1 stands for undefined. */
export class StringTable {
	readonly list: string[] = [];
	private index = new Map<string, number>();
	// consecutive rows often repeat a value: one comparison instead of a hash lookup
	private last: string | undefined;
	private lastId = -1;

	id(s: string | undefined): number {
		if (s === undefined) return -1;
		if (s === this.last) return this.lastId;
		let i = this.index.get(s);
		if (i === undefined) {
			i = this.list.length;
			this.list.push(s);
			this.index.set(s, i);
		}
		this.last = s;
		this.lastId = i;
		return i;
	}

	get(i: number): string | undefined {
		return i < 0 ? undefined : this.list[i];
	}

	/** Drops the lookup map when nothing more will be added (the strings stay). */
	seal(): void {
		this.index = new Map();
		this.last = undefined;
		this.lastId = -1;
	}
}

/** Read access shared by the stores: what tests, the CLI and the permalinks used on arrays. */
abstract class Rows<T> implements Iterable<T> {
	abstract get length(): number;
	/** Row i as a plain object, built on each call. */
	abstract get(i: number): T;

	at(i: number): T | undefined {
		const n = this.length;
		if (i < 0) i += n;
		return i >= 0 && i < n ? this.get(i) : undefined;
	}
	*[Symbol.iterator](): Iterator<T> {
		for (let i = 0; i < this.length; i++) yield this.get(i);
	}
	forEach(fn: (row: T, i: number) => void): void {
		for (let i = 0; i < this.length; i++) fn(this.get(i), i);
	}
	map<U>(fn: (row: T, i: number) => U): U[] {
		const out = new Array<U>(this.length);
		for (let i = 0; i < this.length; i++) out[i] = fn(this.get(i), i);
		return out;
	}
	filter(fn: (row: T, i: number) => boolean): T[] {
		const out: T[] = [];
		for (let i = 0; i < this.length; i++) {
			const row = this.get(i);
			if (fn(row, i)) out.push(row);
		}
		return out;
	}
	find(fn: (row: T, i: number) => boolean): T | undefined {
		for (let i = 0; i < this.length; i++) {
			const row = this.get(i);
			if (fn(row, i)) return row;
		}
		return undefined;
	}
	findIndex(fn: (row: T, i: number) => boolean): number {
		for (let i = 0; i < this.length; i++) if (fn(this.get(i), i)) return i;
		return -1;
	}
	some(fn: (row: T, i: number) => boolean): boolean {
		return this.findIndex(fn) >= 0;
	}
	every(fn: (row: T, i: number) => boolean): boolean {
		return this.findIndex((row, i) => !fn(row, i)) < 0;
	}
	toArray(): T[] {
		return this.map((row) => row);
	}
	/** JSON.stringify writes the rows as the array of objects they used to be. */
	toJSON(): T[] {
		return this.toArray();
	}
}

/**
 * The events of an analysis, one column per property. `kind`, `file`, `line`, `endLine` also make
 * it an `EventColumnsLike` for the permalink excerpt.
 */
export class EventStore extends Rows<LogEvent> {
	count = 0;
	/** Index into EVENT_KINDS. */
	kind = column(Uint8Array);
	/** Index into `Analysis.files`. */
	file = column(Uint16Array);
	line = column(Int32Array);
	endLine = column(Int32Array);
	/** Epoch ms, NaN when the line has no time. */
	time = column(Float64Array);
	/** Index into LEVELS. */
	level = column(Uint8Array);
	/** Index into `zones` (0: none). */
	zone = column(Uint16Array);
	readonly zones: (string | undefined)[] = [undefined];
	/** The tracer whose parser gave the event: index into TRACER_IDS plus one (0: none). */
	tracer = column(Uint8Array);
	summary = new ChunkedList<string>();
	/** A parser's own fields object, undefined when it gave none; emptied by `trim`. */
	private fieldsOf = new ChunkedList<EventFields | undefined>();
	/**
	 * Fields once every file is read (an object each cost more than the event's columns): event i
	 * has the keys `shapes[shapeOf[i]]` (-1: none) with the values from `values[valueAt[i]]` on.
	 */
	private shapeOf = new Int32Array(0);
	private valueAt = new Uint32Array(0);
	private values = new ChunkedList<FieldValue>();
	private shapes: string[][] = [];
	private packed = false;
	/** "N messages skipped" is rare: by event id. */
	private repeats = new Map<number, number>();
	private lastZone: string | undefined;
	private lastZoneId = 0;

	get length(): number {
		return this.count;
	}

	/** Stores an event of file `file` given by `tracer`'s parser; returns its id. */
	add(e: NewEvent, file: number, tracer?: TracerId): number {
		const kind = KIND_INDEX.get(e.kind);
		if (kind === undefined) throw new Error(`unknown event kind ${e.kind}`);
		const i = this.count;
		if (i === this.kind.length) this.resize(Math.max(FIRST_CAPACITY, i * 2));
		this.kind[i] = kind;
		this.file[i] = file;
		this.line[i] = e.line;
		this.endLine[i] = e.endLine ?? e.line;
		this.time[i] = e.time ?? NaN;
		this.level[i] = e.level === undefined ? 0 : this.levelId(e.level);
		this.zone[i] = this.zoneId(e.zone);
		this.tracer[i] = tracer === undefined ? 0 : TRACER_IDS.indexOf(tracer) + 1;
		this.summary.push(e.summary);
		this.fieldsOf.push(e.fields);
		if (e.repeat !== undefined) this.repeats.set(i, e.repeat);
		this.count = i + 1;
		return i;
	}

	/** The live event `id`: what a parser keeps and updates until its file ends. */
	ref(id: number): LogEvent {
		return new EventRef(this, id);
	}

	get(i: number): LogEvent {
		return {
			id: i,
			kind: EVENT_KINDS[this.kind[i]],
			file: this.file[i],
			line: this.line[i],
			endLine: this.endLine[i],
			time: this.timeOf(i),
			zone: this.zones[this.zone[i]],
			level: this.levelOf(i),
			repeat: this.repeats.get(i),
			summary: this.summary.get(i),
			fields: this.fields(i)
		};
	}

	kindOf(i: number): EventKind {
		return EVENT_KINDS[this.kind[i]];
	}
	tracerOf(i: number): TracerId | undefined {
		return TRACER_IDS[this.tracer[i] - 1];
	}
	timeOf(i: number): number | undefined {
		const t = this.time[i];
		return t === t ? t : undefined;
	}
	levelOf(i: number): Level | undefined {
		return (LEVELS[this.level[i]] || undefined) as Level | undefined;
	}
	repeatOf(i: number): number | undefined {
		return this.repeats.get(i);
	}
	/** The events of these kinds, in log order. */
	ofKind(...kinds: EventKind[]): LogEvent[] {
		const want = kinds.map((k) => KIND_INDEX.get(k)!);
		const out: LogEvent[] = [];
		for (let i = 0; i < this.count; i++) if (want.includes(this.kind[i])) out.push(this.get(i));
		return out;
	}
	/** The first event of one of these kinds. */
	firstOf(...kinds: EventKind[]): LogEvent | undefined {
		const want = kinds.map((k) => KIND_INDEX.get(k)!);
		for (let i = 0; i < this.count; i++) if (want.includes(this.kind[i])) return this.get(i);
		return undefined;
	}
	/** The zone of the first event with a time. */
	firstZone(): string | undefined {
		for (let i = 0; i < this.count; i++) {
			if (!Number.isNaN(this.time[i])) return this.zones[this.zone[i]];
		}
		return undefined;
	}
	/** One field of event i, without building a fields object when it has none. */
	field(i: number, key: string): FieldValue | undefined {
		if (!this.packed) return this.fieldsOf.get(i)?.[key];
		const shape = this.shapeOf[i];
		if (shape < 0) return undefined;
		const k = this.shapes[shape].indexOf(key);
		return k < 0 ? undefined : this.values.get(this.valueAt[i] + k);
	}
	/** The fields of event i (read only once the store is trimmed: then a new object each time). */
	fields(i: number): EventFields {
		if (!this.packed) return this.fieldsOf.get(i) ?? {};
		const out: EventFields = {};
		const shape = this.shapeOf[i];
		if (shape < 0) return out;
		const keys = this.shapes[shape];
		const at = this.valueAt[i];
		for (let k = 0; k < keys.length; k++) out[keys[k]] = this.values.get(at + k);
		return out;
	}

	/** Forgets the events from `n` on (a file read again from its first line). */
	truncate(n: number): void {
		if (n >= this.count) return;
		this.count = n;
		this.summary.truncate(n);
		this.fieldsOf.truncate(n);
		for (const id of this.repeats.keys()) if (id >= n) this.repeats.delete(id);
	}

	/** Columns cut to their length and fields packed, once every file is read. */
	trim(): void {
		this.resize(this.count);
		this.packFields();
	}

	private packFields(): void {
		if (this.packed) return;
		const n = this.count;
		const shapeOf = new Int32Array(n).fill(-1);
		const valueAt = new Uint32Array(n);
		const values = new ChunkedList<FieldValue>();
		const shapeIds = new Map<string, number>();
		// events of one kind mostly share their keys: compare with the last shape of the kind first
		const lastOfKind = new Int32Array(EVENT_KINDS.length).fill(-1);
		for (let i = 0; i < n; i++) {
			const fields = this.fieldsOf.get(i);
			if (fields === undefined) continue;
			// let the collector take the object already while the rest is packed
			this.fieldsOf.set(i, undefined);
			const at = values.length;
			// the values in key order, checked against the last shape of the kind on the way
			let shape = lastOfKind[this.kind[i]];
			let keys = shape < 0 ? undefined : this.shapes[shape];
			let k = 0;
			for (const key in fields) {
				if (keys !== undefined && keys[k] !== key) keys = undefined;
				values.push(fields[key]);
				k++;
			}
			if (k === 0) continue;
			if (keys === undefined || keys.length !== k) {
				const own = Object.keys(fields);
				const key = own.join('\u0000');
				shape = shapeIds.get(key) ?? -1;
				if (shape < 0) {
					shape = this.shapes.length;
					this.shapes.push(own);
					shapeIds.set(key, shape);
				}
				lastOfKind[this.kind[i]] = shape;
			}
			shapeOf[i] = shape;
			valueAt[i] = at;
		}
		this.shapeOf = shapeOf;
		this.valueAt = valueAt;
		this.values = values;
		this.fieldsOf = new ChunkedList();
		this.packed = true;
	}

	private resize(n: number): void {
		this.kind = withRows(this.kind, n);
		this.file = withRows(this.file, n);
		this.line = withRows(this.line, n);
		this.endLine = withRows(this.endLine, n);
		this.time = withRows(this.time, n);
		this.level = withRows(this.level, n);
		this.zone = withRows(this.zone, n);
		this.tracer = withRows(this.tracer, n);
	}

	private levelId(level: Level): number {
		const i = LEVEL_INDEX.get(level);
		if (i === undefined) throw new Error(`unknown level ${level}`);
		return i;
	}

	private zoneId(zone: string | undefined): number {
		if (zone === this.lastZone) return this.lastZoneId;
		let i = this.zones.indexOf(zone);
		if (i < 0) {
			i = this.zones.length;
			this.zones.push(zone);
		}
		this.lastZone = zone;
		this.lastZoneId = i;
		return i;
	}

	/** The stored fields object of event i, made when it had none (EventRef hands it out). */
	ownFields(i: number): EventFields {
		if (this.packed) return this.fields(i);
		let fields = this.fieldsOf.get(i);
		if (fields === undefined) this.fieldsOf.set(i, (fields = {}));
		return fields;
	}
	setFields(i: number, value: EventFields): void {
		if (this.packed) throw new Error('fields are read only once every file is read');
		this.fieldsOf.set(i, value);
	}
	setRepeat(i: number, value: number | undefined): void {
		if (value === undefined) this.repeats.delete(i);
		else this.repeats.set(i, value);
	}
	setLevel(i: number, value: Level | undefined): void {
		this.level[i] = value === undefined ? 0 : this.levelId(value);
	}
	setZone(i: number, value: string | undefined): void {
		this.zone[i] = this.zoneId(value);
	}

	/** A store holding these events (tests and hand-made analyses). */
	static from(events: readonly (NewEvent & { file?: number })[]): EventStore {
		const store = new EventStore();
		for (const e of events) store.add(e, e.file ?? 0);
		store.trim();
		return store;
	}
}

/** A stored event seen as the object a parser emitted: reads and writes go to the columns. */
class EventRef implements LogEvent {
	constructor(
		private readonly store: EventStore,
		readonly id: number
	) {}
	get kind(): EventKind {
		return this.store.kindOf(this.id);
	}
	set kind(k: EventKind) {
		this.store.kind[this.id] = KIND_INDEX.get(k)!;
	}
	get file(): number {
		return this.store.file[this.id];
	}
	get line(): number {
		return this.store.line[this.id];
	}
	set line(n: number) {
		this.store.line[this.id] = n;
	}
	get endLine(): number {
		return this.store.endLine[this.id];
	}
	set endLine(n: number) {
		this.store.endLine[this.id] = n;
	}
	get time(): number | undefined {
		return this.store.timeOf(this.id);
	}
	set time(t: number | undefined) {
		this.store.time[this.id] = t ?? NaN;
	}
	get zone(): string | undefined {
		return this.store.zones[this.store.zone[this.id]];
	}
	set zone(z: string | undefined) {
		this.store.setZone(this.id, z);
	}
	get level(): Level | undefined {
		return this.store.levelOf(this.id);
	}
	set level(l: Level | undefined) {
		this.store.setLevel(this.id, l);
	}
	get repeat(): number | undefined {
		return this.store.repeatOf(this.id);
	}
	set repeat(n: number | undefined) {
		this.store.setRepeat(this.id, n);
	}
	get summary(): string {
		return this.store.summary.get(this.id);
	}
	set summary(s: string) {
		this.store.summary.set(this.id, s);
	}
	/** The stored object itself: `fields.x = …` updates the event. */
	get fields(): EventFields {
		return this.store.ownFields(this.id);
	}
	set fields(f: EventFields) {
		this.store.setFields(this.id, f);
	}
}

/** The spans of an analysis, one column per property; names, services and ids as string tables. */
export class SpanStore extends Rows<Span> {
	count = 0;
	/** Index into `traceIds`. */
	trace = column(Int32Array);
	spanId = new ChunkedList<string>();
	parentId = new ChunkedList<string | undefined>();
	/** Indexes into `names`, `services`, `resources`, `types` (-1: none). */
	name = column(Int32Array);
	service = column(Int32Array);
	resource = column(Int32Array);
	type = column(Int32Array);
	/** 0: not said, 1: false, 2: true. */
	error = column(Uint8Array);
	/** Epoch ms and ms, NaN when unknown. */
	start = column(Float64Array);
	duration = column(Float64Array);
	file = column(Uint16Array);
	line = column(Int32Array);
	/** The span.finish event id. */
	event = column(Int32Array);
	readonly traceIds = new StringTable();
	readonly names = new StringTable();
	readonly services = new StringTable();
	readonly resources = new StringTable();
	readonly types = new StringTable();

	get length(): number {
		return this.count;
	}

	add(s: Omit<Span, 'file'>, file: number): void {
		const i = this.count;
		if (i === this.trace.length) this.resize(Math.max(FIRST_CAPACITY, i * 2));
		this.trace[i] = this.traceIds.id(s.traceId);
		this.spanId.push(s.spanId);
		this.parentId.push(s.parentId);
		this.name[i] = this.names.id(s.name);
		this.service[i] = this.services.id(s.service);
		this.resource[i] = this.resources.id(s.resource);
		this.type[i] = this.types.id(s.type);
		this.error[i] = s.error === undefined ? 0 : s.error ? 2 : 1;
		this.start[i] = s.start ?? NaN;
		this.duration[i] = s.duration ?? NaN;
		this.file[i] = file;
		this.line[i] = s.line;
		this.event[i] = s.event;
		this.count = i + 1;
	}

	get(i: number): Span {
		const start = this.start[i];
		const duration = this.duration[i];
		const error = this.error[i];
		// the key order of the objects spans used to be (CLI JSON)
		return {
			traceId: this.traceIds.list[this.trace[i]],
			spanId: this.spanId.get(i),
			parentId: this.parentId.get(i),
			name: this.names.get(this.name[i]),
			service: this.services.get(this.service[i]),
			resource: this.resources.get(this.resource[i]),
			type: this.types.get(this.type[i]),
			error: error === 0 ? undefined : error === 2,
			start: start === start ? start : undefined,
			duration: duration === duration ? duration : undefined,
			file: this.file[i],
			line: this.line[i],
			event: this.event[i]
		};
	}

	traceIdOf(i: number): string {
		return this.traceIds.list[this.trace[i]];
	}

	truncate(n: number): void {
		if (n >= this.count) return;
		this.count = n;
		this.spanId.truncate(n);
		this.parentId.truncate(n);
	}

	/** Columns cut to their length and lookup maps dropped, once every file is read. */
	trim(): void {
		this.resize(this.count);
		for (const t of [this.traceIds, this.names, this.services, this.resources, this.types])
			t.seal();
	}

	private resize(n: number): void {
		this.trace = withRows(this.trace, n);
		this.name = withRows(this.name, n);
		this.service = withRows(this.service, n);
		this.resource = withRows(this.resource, n);
		this.type = withRows(this.type, n);
		this.error = withRows(this.error, n);
		this.start = withRows(this.start, n);
		this.duration = withRows(this.duration, n);
		this.file = withRows(this.file, n);
		this.line = withRows(this.line, n);
		this.event = withRows(this.event, n);
	}

	/** A store holding these spans (tests and hand-made analyses). */
	static from(spans: readonly Span[]): SpanStore {
		const store = new SpanStore();
		for (const s of spans) store.add(s, s.file);
		store.trim();
		return store;
	}
}

/** The traces of an analysis (built by assemble.ts from the spans), one column per property. */
export class TraceStore extends Rows<Trace> {
	count = 0;
	/** Index into `ids`. */
	id = new Int32Array(0);
	/** -1: none found. */
	rootSpan = new Int32Array(0);
	/** Epoch ms, NaN when no span has a start. */
	start = new Float64Array(0);
	end = new Float64Array(0);
	error = new Uint8Array(0);
	/** Spans of trace t, in log order: spanList[spanAt[t] .. spanAt[t + 1]). */
	spanAt = new Uint32Array(1);
	spanList = new Int32Array(0);
	/** Services of trace t, as indexes into `services`: serviceList[serviceAt[t] .. serviceAt[t + 1]). */
	serviceAt = new Uint32Array(1);
	serviceList = new Int32Array(0);
	/** The spans' string tables. */
	ids: string[] = [];
	services: string[] = [];

	get length(): number {
		return this.count;
	}

	get(t: number): Trace {
		const root = this.rootSpan[t];
		const start = this.start[t];
		const end = this.end[t];
		// the key order of the objects traces used to be (CLI JSON)
		return {
			traceId: this.ids[this.id[t]],
			spans: Array.from(this.spanList.subarray(this.spanAt[t], this.spanAt[t + 1])),
			services: Array.from(
				this.serviceList.subarray(this.serviceAt[t], this.serviceAt[t + 1]),
				(s) => this.services[s]
			),
			error: this.error[t] === 1,
			start: start === start ? start : undefined,
			end: end === end ? end : undefined,
			rootSpan: root < 0 ? undefined : root
		};
	}

	traceIdOf(t: number): string {
		return this.ids[this.id[t]];
	}
}
