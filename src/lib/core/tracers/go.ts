// Go tracer parser — placeholder until its module is written (issue 3): it recognises nothing.
import type { TracerParser } from './types';

export const goParser: TracerParser = {
	id: 'go',
	name: 'Go',
	logsSuccess: true,
	detect: () => 0,
	createSession: () => ({ line() {}, end() {} })
};
