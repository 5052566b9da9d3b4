// The object the worker exposes through Comlink; a plain module so vitest can call it directly.
import { analyze, type Analysis, type AnalyzeInput, type Progress } from '../core/index';

const running = new Map<number, AbortController>();

export const api = {
	/** Analyses the inputs; `job` lets the page cancel it. Files are read here, in the worker. */
	async analyze(
		job: number,
		inputs: AnalyzeInput[],
		onProgress?: (p: Progress) => void
	): Promise<Analysis> {
		const controller = new AbortController();
		running.set(job, controller);
		try {
			return await analyze(inputs, { signal: controller.signal, onProgress });
		} finally {
			running.delete(job);
		}
	},
	cancel(job: number): void {
		running.get(job)?.abort();
	}
};

export type Api = typeof api;
