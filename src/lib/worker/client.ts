// Main-thread side of the worker boundary.
import { wrap, type Remote } from 'comlink';
import type { Api } from './api';

export function createAnalyzer(): { api: Remote<Api>; worker: Worker; terminate: () => void } {
	const worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' });
	return { api: wrap<Api>(worker), worker, terminate: () => worker.terminate() };
}
