// .NET tracer parser — placeholder until its module is written (issue 3): it recognises nothing.
import type { TracerParser } from './types';

export const dotnetParser: TracerParser = {
	id: 'dotnet',
	name: '.NET',
	logsSuccess: true,
	detect: () => 0,
	createSession: () => ({ line() {}, end() {} })
};
