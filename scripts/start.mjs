// npm start: serves the built site on 127.0.0.1 (port 4173, or the next free one) and prints the
// URL that opens it with a sample log already loaded. Nothing is sent anywhere: it is a static site.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { serveStatic } from '../tests/e2e/static-server.mjs';

const root = path.resolve(import.meta.dirname, '..');
const dir = path.join(root, 'build');
const FIRST_PORT = Number(process.env.PORT ?? 4173);
const SAMPLE = process.env.SAMPLE ?? 'nodejs-3.58.0-recovery.log';

if (!fs.existsSync(path.join(dir, 'index.html'))) {
	console.error(
		'build/index.html is missing: run "npm run build" first (npm start does it for you).'
	);
	process.exit(1);
}

/** Whether nothing listens on the port yet. */
function free(port) {
	return new Promise((resolve) => {
		const probe = net.createServer();
		probe.once('error', () => resolve(false));
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
}

let port = FIRST_PORT;
while (!(await free(port))) {
	if (port > FIRST_PORT + 50) {
		console.error(`No free port between ${FIRST_PORT} and ${port}.`);
		process.exit(1);
	}
	port++;
}

const server = await serveStatic(dir, { port });
const samples = path.join(dir, 'samples', SAMPLE);
const query = fs.existsSync(samples) ? `?sample=${encodeURIComponent(SAMPLE)}` : '';
console.log(`tracelens is running at ${server.url}${query}`);
console.log(`(an empty page: ${server.url}). Press Ctrl+C to stop.`);
const stop = () => {
	server.close();
	process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
