import { defineConfig } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from './tests/e2e/launch.mjs';

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: /.*\.spec\.ts/,
	timeout: 60_000,
	retries: 0,
	workers: 1, // 2-core machine
	reporter: [['list']],
	outputDir: 'test-results/pw',
	webServer: {
		command: 'node tests/e2e/serve.mjs build 4173',
		url: 'http://127.0.0.1:4173/',
		reuseExistingServer: !process.env.CI,
		timeout: 20_000
	},
	use: {
		baseURL: 'http://127.0.0.1:4173/',
		browserName: 'chromium',
		headless: true,
		launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
		screenshot: 'only-on-failure',
		trace: 'off'
	}
});
