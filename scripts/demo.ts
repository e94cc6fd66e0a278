// `npm run demo -- <url-or-file>`: opens the page in headless Chromium with the built extension,
// runs "Summarise page", prints the summary as it streams and saves a screenshot of the sidebar.
// Provider: LLM_BASE_URL / LLM_API_KEY / LLM_MODEL when set, else the built-in default (offline).
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { BrowserContext } from '@playwright/test';
import type { SummariseOutcome } from '../lib/app/protocol';
import { jobPortPrefix, type JobPortMessage } from '../lib/app/tab-protocol';
import { isLive, type JobView } from '../lib/jobs/job-view';
import { launchWithExtension } from '../tests/support/chromium';
import { startStaticServer } from '../tests/support/static-server';

declare const chrome: any;

const target = process.argv[2];
const out = process.argv[3] ?? 'precis-demo.png';
if (!target) {
  console.error('Usage: npm run demo -- <url-or-file> [screenshot.png]');
  process.exit(2);
}

const extensionDir = resolve('.output/chrome-mv3-demo');

/**
 * Prints the job's text as the background streams it: the same `job:<id>` port the sidebar reads
 * (a snapshot, then deltas), followed from an extension page. Resolves with the settled job.
 */
async function streamJob(context: BrowserContext, extensionId: string, jobId: string): Promise<JobView> {
  let printed = 0;
  let done = false;
  let settle: (job: JobView) => void;
  const settled = new Promise<JobView>((resolve) => (settle = resolve));
  const page = await context.newPage();
  await page.exposeFunction('precisDemoMessage', (msg: JobPortMessage) => {
    if (msg.type === 'delta') {
      process.stdout.write(msg.text);
      printed += msg.text.length;
      return;
    }
    // A snapshot (also after a worker restart) holds all the text so far: print what is new.
    if (msg.type === 'snapshot' && msg.job.text.length > printed) {
      process.stdout.write(msg.job.text.slice(printed));
      printed = msg.job.text.length;
    }
    if (!isLive(msg.job.status)) {
      done = true;
      settle(msg.job);
    }
  });
  // Any page of the extension's own origin may subscribe; its manifest is one with no UI.
  await page.goto(`chrome-extension://${extensionId}/manifest.json`);
  const subscribe = () =>
    page.evaluate((name) => {
      const port = chrome.runtime.connect({ name });
      port.onMessage.addListener((msg: unknown) => void (window as any).precisDemoMessage(msg));
      port.onDisconnect.addListener(() => void (window as any).precisDemoDisconnected());
    }, jobPortPrefix + jobId);
  // Chrome stops idle workers: connecting again wakes it and brings a fresh snapshot.
  await page.exposeFunction('precisDemoDisconnected', () => {
    if (!done) setTimeout(() => void subscribe(), 200);
  });
  await subscribe();
  return settled;
}

async function main() {
  // Content scripts do not run on file:// pages: a local file is served from 127.0.0.1.
  const server = existsSync(target!) ? await startStaticServer(dirname(resolve(target!))) : undefined;
  const url = server ? `${server.url}/${encodeURIComponent(basename(target!))}` : target!;
  const context = await launchWithExtension(extensionDir, { viewport: { width: 1280, height: 860 } });
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const extensionId = new URL(worker.url()).host;
    const { LLM_BASE_URL: baseUrl, LLM_API_KEY: apiKey = '', LLM_MODEL: model = 'gpt-4o-mini' } = process.env;
    if (baseUrl) await worker.evaluate((s) => (globalThis as any).precisTest.saveSettings(s), { presetId: 'custom', baseUrl, apiKey, model });
    console.error(baseUrl ? `Provider: ${baseUrl} (${model})` : 'No LLM_BASE_URL: using the built-in offline summariser.');

    const page = await context.newPage();
    try {
      await page.goto(url, { waitUntil: 'domcontentloaded' });
    } catch {
      throw new Error(`Could not open ${url}.`);
    }
    const outcome: SummariseOutcome | undefined = await worker.evaluate(async (pageUrl) => {
      const [tab] = await chrome.tabs.query({ url: pageUrl });
      return (globalThis as any).precisTest.onMenuClicked({ menuItemId: 'summarise-page' }, tab);
    }, page.url());
    if (!outcome?.ok) throw new Error(outcome?.message ?? 'Summarise failed.');

    const timeout = new Promise<never>((_, fail) => setTimeout(() => fail(new Error('No answer within two minutes.')), 120_000).unref());
    const job = await Promise.race([streamJob(context, extensionId, outcome.jobId), timeout]);
    process.stdout.write('\n');
    await page.bringToFront();
    await page.screenshot({ path: out });
    console.error(`Screenshot: ${out}`);
    if (job.error) throw new Error(job.error.message);
    if (job.status !== 'done') throw new Error(`The summary ended ${job.status}.`);
  } finally {
    await context.close();
    await server?.close();
  }
}

main().catch((err: unknown) => {
  // The reason, said plainly (a wrong key, an unreachable provider, a page with no text): a stack
  // trace of this script would only hide it.
  console.error(`Precis: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
