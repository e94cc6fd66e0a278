import { defineConfig } from '@playwright/test';

// Each test launches its own Chromium with the built extension: on a 2-core machine one worker
// is faster than two fighting for the CPU, and it keeps timing-sensitive tests honest.
export default defineConfig({
  // Chromium runs every e2e spec; Firefox ESR runs the core paths (tests/firefox), in one run and one summary.
  projects: [
    { name: 'chromium', testDir: 'tests/e2e' },
    { name: 'firefox', testDir: 'tests/firefox' },
  ],
  globalSetup: './tests/e2e/global-setup.ts',
  workers: 1,
  retries: 0,
  // Per test, fixtures included (a Chromium launch, the first-run tab): room for a loaded 2-core machine.
  timeout: 45_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: { trace: 'retain-on-failure' },
});
