// Node.js tracer parser — placeholder until its module is written (issue 3): it recognises nothing.
import type { TracerParser } from './types';

export const nodejsParser: TracerParser = {
	id: 'nodejs',
	name: 'Node.js',
	logsSuccess: true,
	detect: () => 0,
	createSession: () => ({ line() {}, end() {} })
};
