// Python tracer parser — placeholder until its module is written (issue 3): it recognises nothing.
import type { TracerParser } from './types';

export const pythonParser: TracerParser = {
	id: 'python',
	name: 'Python',
	logsSuccess: true,
	detect: () => 0,
	createSession: () => ({ line() {}, end() {} })
};
