import { sveltekit } from '@sveltejs/kit/vite';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { CHROMIUM, CHROMIUM_ARGS } from './tests/e2e/launch.mjs';

export default defineConfig({
	plugins: [sveltekit()],
	worker: {
		format: 'es'
	},
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					environment: 'node',
					include: ['tests/unit/**/*.test.ts'],
					testTimeout: 60_000
				}
			},
			{
				extends: true,
				test: {
					name: 'browser',
					include: ['tests/browser/**/*.browser.test.ts'],
					browser: {
						enabled: true,
						headless: true,
						provider: playwright({
							launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS }
						}),
						instances: [{ browser: 'chromium' }]
					}
				}
			}
		]
	}
});
