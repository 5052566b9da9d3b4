// C++ tracer parser — placeholder until its module is written (issue 3): it recognises nothing.
import type { TracerParser } from './types';

export const cppParser: TracerParser = {
	id: 'cpp',
	name: 'C++',
	logsSuccess: true,
	detect: () => 0,
	createSession: () => ({ line() {}, end() {} })
};
