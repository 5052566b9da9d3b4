// The columnar stores behind Analysis.events/spans/traces: what goes in comes out the same, a
// parser's handle updates the stored event, and packing the fields keeps every key and value.
import { describe, expect, it } from 'vitest';
import {
	analyze,
	EventStore,
	SpanStore,
	type LogEvent,
	type NewEvent,
	type Span,
	type TracerParser
} from '../../src/lib/core/index';

const EVENTS: NewEvent[] = [
	{ kind: 'tracer.config', line: 1, endLine: 4, summary: 'config', fields: { a: '1', b: 2 } },
	{
		kind: 'flush.error',
		line: 5,
		time: 1700000000123.5,
		zone: '+02:00',
		level: 'error',
		repeat: 3,
		summary: 'failed',
		fields: { reason: 'ECONNREFUSED', status: null, ok: false, list: ['x', 'y'] }
	},
	{ kind: 'log.other', line: 6, summary: 'no fields' },
	{ kind: 'log.other', line: 7, level: 'warn', summary: 'empty fields', fields: {} },
	// same kind, other keys: a shape of its own
	{ kind: 'flush.error', line: 8, zone: 'local', summary: 'other shape', fields: { reason: 'r' } },
	{
		kind: 'flush.error',
		line: 9,
		repeat: 0,
		summary: 'keys reordered',
		fields: { z: 1, reason: 's' }
	}
];

function plain(e: NewEvent, id: number): LogEvent {
	return {
		id,
		kind: e.kind,
		file: 0,
		line: e.line,
		endLine: e.endLine ?? e.line,
		time: e.time,
		zone: e.zone,
		level: e.level,
		repeat: e.repeat,
		summary: e.summary,
		fields: e.fields ?? {}
	};
}

describe('EventStore', () => {
	it('gives back every event as it was added, before and after its fields are packed', () => {
		const store = new EventStore();
		for (const e of EVENTS) store.add(e, 0);
		const want = EVENTS.map(plain);
		expect(store.toArray()).toEqual(want);
		store.trim();
		expect(store.length).toBe(EVENTS.length);
		expect(store.toArray()).toEqual(want);
		expect(JSON.stringify(store)).toBe(JSON.stringify(want));
		expect(store.field(1, 'reason')).toBe('ECONNREFUSED');
		expect(store.field(5, 'reason')).toBe('s');
		expect(store.field(2, 'reason')).toBeUndefined();
		expect(Object.keys(store.get(5).fields)).toEqual(['z', 'reason']);
		expect(store.kind.length).toBe(EVENTS.length);
	});

	it('lets a parser update the event it got back until the file ends', () => {
		const store = new EventStore();
		const fields = { endpoint: 'http://agent' } as Record<string, string | number>;
		const kept = store.ref(store.add({ kind: 'flush.error', line: 3, summary: 'x', fields }, 1));
		const bare = store.ref(store.add({ kind: 'log.other', line: 4, summary: 'y' }, 1));
		kept.endLine = 9;
		kept.summary = 'The payload could not be sent: refused';
		kept.repeat = 2;
		kept.time = 5;
		kept.level = 'error';
		kept.zone = 'Z';
		kept.fields.reason = 'refused';
		fields.status = 503; // the parser's own object is the stored one
		bare.fields.added = true;
		bare.fields = { replaced: 1 };
		store.trim();
		expect(store.get(0)).toEqual({
			id: 0,
			kind: 'flush.error',
			file: 1,
			line: 3,
			endLine: 9,
			time: 5,
			zone: 'Z',
			level: 'error',
			repeat: 2,
			summary: 'The payload could not be sent: refused',
			fields: { endpoint: 'http://agent', reason: 'refused', status: 503 }
		});
		expect(store.get(1).fields).toEqual({ replaced: 1 });
		expect(kept.id).toBe(0);
		expect(kept.fields.reason).toBe('refused');
	});

	it('forgets the events past a point (a file parsed again) and grows past its first columns', () => {
		const store = new EventStore();
		for (let i = 0; i < 20_000; i++)
			store.add({ kind: 'span.finish', line: i + 1, summary: `s${i}`, repeat: i }, 0);
		store.truncate(10_000);
		store.add({ kind: 'flush.ok', line: 1, summary: 'again' }, 0);
		store.trim();
		expect(store.length).toBe(10_001);
		expect(store.at(-1)).toMatchObject({ id: 10_000, kind: 'flush.ok', summary: 'again' });
		expect(store.at(-1)!.repeat).toBeUndefined();
		expect(store.get(9_999)).toMatchObject({ line: 10_000, summary: 's9999', repeat: 9_999 });
		expect(store.at(10_001)).toBeUndefined();
	});

	it('reads like an array', () => {
		const store = EventStore.from(EVENTS);
		expect([...store].map((e) => e.line)).toEqual([1, 5, 6, 7, 8, 9]);
		expect(store.filter((e) => e.kind === 'flush.error').map((e) => e.id)).toEqual([1, 4, 5]);
		expect(store.find((e) => e.level === 'warn')?.id).toBe(3);
		expect(store.some((e) => e.repeat === 0)).toBe(true);
		expect(store.every((e) => e.file === 0)).toBe(true);
		expect(store.ofKind('flush.error', 'tracer.config').map((e) => e.id)).toEqual([0, 1, 4, 5]);
		expect(store.firstOf('log.other')?.id).toBe(2);
		expect(store.firstZone()).toBe('+02:00');
	});
});

describe('SpanStore', () => {
	const SPANS: Span[] = [
		{
			traceId: '6b07fc99000000002bda891e83849f14',
			spanId: '18446744073709551615',
			parentId: undefined,
			name: 'web.request',
			service: 'svc',
			resource: 'GET /',
			type: 'web',
			error: true,
			start: 1795685529608.0054,
			duration: 1.259277,
			file: 0,
			line: 9,
			event: 3
		},
		{
			traceId: '6b07fc99000000002bda891e83849f14',
			spanId: '9007199254740993',
			parentId: '18446744073709551615',
			name: '',
			service: undefined,
			resource: undefined,
			type: undefined,
			error: undefined,
			start: undefined,
			duration: undefined,
			file: 1,
			line: 10,
			event: 4
		}
	];

	it('gives back every span as it was added, ids exact, in the same key order', () => {
		const store = SpanStore.from(SPANS);
		expect(store.toArray()).toEqual(SPANS);
		expect(JSON.stringify(store)).toBe(JSON.stringify(SPANS));
		expect(Object.keys(store.get(1))).toEqual(Object.keys(SPANS[0]));
		expect(store.traceIds.list).toEqual(['6b07fc99000000002bda891e83849f14']);
	});
});

describe('TraceStore', () => {
	it('lists the spans and services of every trace', async () => {
		const rows = ['A 1 - s1', 'B 2 - s2', 'A 3 1 s2', 'A 4 1 s1', 'B 5 9 -'];
		const parser: TracerParser = {
			id: 'go',
			name: 'Rows',
			logsSuccess: true,
			detect: () => 10,
			createSession(out) {
				return {
					line(text, lineNo) {
						const [traceId, spanId, parentId, service] = text.split(' ');
						const ev = out.event({ kind: 'span.finish', line: lineNo, summary: spanId });
						out.span({
							traceId,
							spanId,
							parentId: parentId === '-' ? undefined : parentId,
							service: service === '-' ? undefined : service,
							line: lineNo,
							event: ev.id
						});
					},
					end() {}
				};
			}
		};
		const a = await analyze(rows.join('\n'), { parsers: [parser] });
		// in the key order of the CLI JSON
		const want = [
			{ traceId: 'A', spans: [0, 2, 3], services: ['s1', 's2'], error: false, rootSpan: 0 },
			{ traceId: 'B', spans: [1, 4], services: ['s2'], error: false, rootSpan: 1 }
		];
		expect(a.traces.toArray()).toEqual(want);
		expect(JSON.stringify(a.traces)).toBe(JSON.stringify(want));
	});
});
