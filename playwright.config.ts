import { defineConfig } from '@playwright/test';

// Each worker runs a browser with the built extension, which a passed test hands on to the next, reset
// (tests/e2e/fixtures.ts), on a 2-core machine: two at a time.
// The managed-policy tests install a policy every Chromium on the machine reads, so they run alone,
// after the rest. Firefox ESR runs the core paths (tests/firefox); Chromium runs every e2e spec.
export default defineConfig({
  projects: [
    { name: 'chromium', testDir: 'tests/e2e', testIgnore: 'managed-policy.spec.ts' },
    { name: 'firefox', testDir: 'tests/firefox', workers: 1 },
    { name: 'chromium-policy', testDir: 'tests/e2e', testMatch: 'managed-policy.spec.ts', dependencies: ['chromium', 'firefox'], workers: 1 },
  ],
  globalSetup: './tests/e2e/global-setup.ts',
  workers: 2,
  retries: 0,
  // Per test, fixtures included (a browser launch, the first-run tab): room for a loaded 2-core machine.
  timeout: 45_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  // A trace is recorded for every test to keep the failures' (DOM snapshots at each action): 15% of
  // the CPU here (13 tests: 174–184 s with, 147–152 s without), on a suite that is CPU-bound. CI's
  // log is all anyone sees of a CI run, so CI records none; `--trace on` brings them back.
  use: { trace: process.env.CI ? 'off' : 'retain-on-failure' },
});
