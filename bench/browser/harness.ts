// Runs lib/ code in headless Chromium for the benchmarks: bundles an entry module with esbuild,
// serves it with any pages on 127.0.0.1 (real http origin, so IndexedDB, crypto.subtle and
// content-script-like conditions hold; never file://), and calls the entry's exports by name.
//
//   const h = await startBrowserHarness({ entry: 'bench/browser/cache-probe.ts', pages: { '/a.html': html } });
//   await h.open('/a.html');                       // navigate, wait for layout, install the exports
//   const r = await h.call<Result>('measure', 100); // = await exports.measure(100) in the page
//   await h.close();
//
// Arguments and results cross the Playwright boundary as JSON. The bundle is installed by
// evaluating it, not with a <script> element, so the page's DOM stays exactly as served (what the
// extraction benchmark measures). Pages are served cross-origin isolated (COOP/COEP) by default,
// which gives `performance.now()` 5 µs resolution instead of 100 µs: sub-millisecond targets need it.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from '../../tests/support/chromium';

export const CHROMIUM_ARGS = chromiumArgs;


export interface ServedFile {
  body: string | Buffer;
  /** Content type; default text/html for `.html` paths, else text/plain. */
  type?: string;
}

export interface BrowserHarnessOptions {
  /** Module (TS or JS) whose exports become callable with `call(name, …args)`. Relative to the cwd. */
  entry: string;
  /** More files to serve, by path (`/article.html`). `/` is a blank page unless given here. */
  pages?: Record<string, string | ServedFile>;
  /** Serve with COOP/COEP (fine-grained timers, SharedArrayBuffer). Default true. */
  crossOriginIsolated?: boolean;
  /** Timeout of each navigation and call, ms. Default 120 s. */
  timeoutMs?: number;
  /** Receives the page's console lines and uncaught errors. Default: errors only, to stderr. */
  onConsole?: (line: string) => void;
  /** Let the page's own scripts run (default true). The bundle is installed either way. */
  javaScriptEnabled?: boolean;
  /** More Chromium flags, after the usual ones. */
  args?: string[];
}

export interface BrowserHarness {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  browser: Browser;
  page: Page;
  /** Serves (or replaces) a file from now on. */
  serve(path: string, file: string | ServedFile): void;
  /**
   * Navigates to `path` (default `/`), waits for `load` and two animation frames (style and layout
   * done, as by the time a user clicks the toolbar button), then installs the entry's exports.
   */
  open(path?: string): Promise<void>;
  /** Calls an export of the entry in the page and returns its (awaited, JSON-cloned) result. */
  call<T = unknown>(name: string, ...args: unknown[]): Promise<T>;
  close(): Promise<void>;
}

const GLOBAL = '__precisBench';

/** Bundles `entry` for the browser into one classic script that puts its exports on `globalThis`. */
export async function bundleEntry(entry: string): Promise<string> {
  const result = await build({
    stdin: {
      contents: `import * as m from ${JSON.stringify(resolve(entry))};\nglobalThis.${GLOBAL} = m;\n`,
      resolveDir: process.cwd(),
      loader: 'ts',
      sourcefile: 'bench-entry.ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    // What the extension build ships: production React/Dexie paths, no dev-only checks.
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced no output for ${entry}`);
  return file.text;
}

function typeFor(path: string, file: ServedFile): string {
  if (file.type) return file.type;
  if (path.endsWith('.html') || path === '/') return 'text/html; charset=utf-8';
  if (path.endsWith('.js')) return 'text/javascript; charset=utf-8';
  return 'text/plain; charset=utf-8';
}

export async function startBrowserHarness(opts: BrowserHarnessOptions): Promise<BrowserHarness> {
  const code = await bundleEntry(opts.entry);
  const isolated = opts.crossOriginIsolated ?? true;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const log = opts.onConsole ?? ((line: string) => {
    if (line.startsWith('[error]') || line.startsWith('[pageerror]')) console.error(`  (page) ${line}`);
  });

  const files = new Map<string, ServedFile>();
  const serve = (path: string, file: string | ServedFile) => files.set(path, typeof file === 'string' ? { body: file } : file);
  serve('/', '<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head><body></body></html>');
  for (const [path, file] of Object.entries(opts.pages ?? {})) serve(path, file);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = files.get(path);
    if (!file && path === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    const headers: Record<string, string> = { 'cache-control': 'no-store' };
    if (isolated) {
      headers['cross-origin-opener-policy'] = 'same-origin';
      headers['cross-origin-embedder-policy'] = 'require-corp';
    }
    if (!file) {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': typeFor(path, file), 'content-length': Buffer.byteLength(file.body) });
    res.end(file.body);
  });
  const { port } = await new Promise<AddressInfo>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(server.address() as AddressInfo));
  });
  const origin = `http://127.0.0.1:${port}`;

  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: chromiumExecutable, args: [...chromiumArgs, ...(opts.args ?? [])] });
  } catch (err) {
    server.close();
    throw err;
  }
  const page = await browser.newPage({ javaScriptEnabled: opts.javaScriptEnabled ?? true });
  page.setDefaultTimeout(timeoutMs);
  page.on('console', (m) => log(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => log(`[pageerror] ${e.message}`));

  return {
    origin,
    browser,
    page,
    serve,
    async open(path = '/') {
      await page.goto(origin + path, { waitUntil: 'load' });
      if (opts.javaScriptEnabled === false) {
        // Without page JavaScript no callback ever fires (animation frames, timers): lay the page
        // out synchronously instead, which leaves it in the same state.
        await page.evaluate(() => document.documentElement.getBoundingClientRect());
      } else {
        await page.evaluate(
          () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
        );
      }
      await page.evaluate(code);
      const installed = await page.evaluate((g) => typeof (globalThis as Record<string, unknown>)[g] === 'object', GLOBAL);
      if (!installed) throw new Error(`the bundle of ${opts.entry} did not install its exports`);
    },
    async call<T>(name: string, ...args: unknown[]): Promise<T> {
      return page.evaluate(
        async ({ g, name, args }) => {
          const mod = (globalThis as Record<string, unknown>)[g] as Record<string, unknown> | undefined;
          const fn = mod?.[name];
          if (typeof fn !== 'function') throw new Error(`no export ${name} (did you call open()?)`);
          return (await (fn as (...a: unknown[]) => unknown)(...args)) as T;
        },
        { g: GLOBAL, name, args },
      ) as Promise<T>;
    },
    async close() {
      await browser.close().catch(() => undefined);
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
