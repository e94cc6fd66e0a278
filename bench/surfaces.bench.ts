// Issue #6: the extension's surfaces in Chromium. The built extension (production code, plus the
// e2e flavour's host permission for 127.0.0.1 and its test hooks) runs in headless Chromium against
// the mock LLM, behind a timing proxy (bench/lib/timing-proxy.ts) that timestamps the server's first
// answer bytes and can pace a long answer. Scenarios (`npm run bench -- surfaces --only=ttft,…`):
//
// - ttft: time to first token on screen. The menu handler summarises a fresh page; the mock waits a
//   fixed time before its first event; a MutationObserver in the sidebar's frame (an extension page
//   in an iframe in the host's closed shadow root; a context init script puts the observer there
//   from the frame's first line) stamps when the answer element first holds text. Added latency = that stamp − the proxy's stamp of
//   the first answer event leaving for the browser (clocks aligned by measuring their offset).
//   Peer: a bare page script (fetch + stream + textContent) against the same mock: the floor.
//   A few traced runs split the added latency into worker + IPC, frame wait and render.
// - stream: a 20,000-token Markdown answer streamed into the sidebar. Main-thread time from a
//   Chromium trace (bench/lib/trace.ts: DevTools-style categories, thread CPU time) of the sidebar
//   frame's main thread (another renderer process than the page's) and of the page's, longest
//   task, longest gap between the sidebar frame's animation frames. Peers: bare page scripts reading the same paced stream and rendering it as
//   plain text (floor) or as whole-answer Markdown per frame and per delta (naive renderers, with
//   Precis's own marked + DOMPurify configuration). Then the cost per token at a model's usual
//   pace, at the start and at the end of the long answer.
// - bundle: sizes of the production build, what the injected scripts (reader, sidebar host) and the
//   sidebar frame are made of, what injecting each costs a page.
// - cold: worker cold start, ServiceWorker.stopAllWorkers then `settings.get` from an extension page.
//
// Builds go to .output/bench-surfaces (bench/lib/build-extension.ts). Environment knobs:
// PRECIS_BENCH_SKIP_BUILD=1 reuses that build; PRECIS_BENCH_EXTENSION_DIR=dir measures another e2e
// build (a copy of the tree with a proposed fix); PRECIS_BENCH_TRACE_DIR / PRECIS_BENCH_PROFILE_DIR
// keep the traces and a CPU profile of the slow tail, to open in DevTools.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium, type BrowserContext, type CDPSession, type Frame, type Page, type Worker } from '@playwright/test';
import { transform } from 'esbuild';
import { startMockLlm, type MockLlm } from '../tests/support/mock-llm';
import { bundleEntry, CHROMIUM_ARGS } from './browser/harness';
import type { PeerMode, PeerStream, RenderCost } from './browser/surfaces-peer';
import { ms, passFail, percentile, ratio, seconds, sleep, table, withCap } from './lib/format';
import { prose } from './lib/prose';
import { nowMs, startTimingProxy, type Exchange, type TimingProxy } from './lib/timing-proxy';
import { markOf, recordTrace, threadTime, type ThreadTime, type TraceEvent } from './lib/trace';
import type { BenchContext, BenchResult, Target } from './lib/types';

// Functions passed to `page.evaluate` / `worker.evaluate` run in the browser.
declare const chrome: any;

export const title = 'Surfaces in Chromium: first token, long answers, worker start, bundles (issue #6)';

const OUT_BASE = '.output/bench-surfaces';
const PROD_DIR = `${OUT_BASE}/chrome-mv3`;
const E2E_DIR = `${OUT_BASE}/chrome-mv3-e2e`;
const MODULES_JSON = `${OUT_BASE}/modules.json`;

// PRECIS_BENCH_TTFT_RUNS=n takes more samples (p95 of 20 is the second-worst run).
const TTFT_RUNS = Number(process.env.PRECIS_BENCH_TTFT_RUNS ?? 20);
const FIRST_BYTE_DELAY_MS = 250;
const TTFT_TARGET_MS = 30;
const TTFT_TRACED_RUNS = 6;

const STREAM_TOKENS = 20_000;
/** Characters of answer per SSE event: about one o200k token of this Markdown. */
const STREAM_CHUNK_CHARS = 5;
/** Events a second the proxy lets through: 20,000 tokens in about 5 s. */
const STREAM_RATE = 4_000;
/** A model's usual pace, for the first and last SLOW_EVENTS events of a second run: what a token costs at the start and at the end of a long answer. */
const SLOW_EVENTS = 150;
const TAIL_RATE = 50;
/** In the tail run the answer before the tail comes at this rate (the sidebar catches up before the tail starts). */
const TAIL_FAST_RATE = 20_000;
const STREAM_SCRIPT_TARGET_MS = 1_000;
/** A task at least this long is a long task (the Long Tasks API's threshold). */
const LONG_TASK_MS = 50;
const NAIVE_DELTA_CAP_MS = 5_000;

const COLD_RUNS = 20;
const COLD_TARGET_MS = 100;
const INJECT_RUNS = 10;

const MODEL = 'mock-model';

// ---------------------------------------------------------------------------------------------
// Setup: builds, pages, servers.

const run$ = promisify(execFile);

async function buildExtension(ctx: BenchContext): Promise<void> {
  if (process.env.PRECIS_BENCH_SKIP_BUILD && existsSync(`${PROD_DIR}/manifest.json`) && existsSync(`${E2E_DIR}/manifest.json`) && existsSync(MODULES_JSON)) {
    ctx.log(`PRECIS_BENCH_SKIP_BUILD: reusing ${OUT_BASE} (built ${(await stat(`${E2E_DIR}/manifest.json`)).mtime.toISOString()})`);
    return;
  }
  const tsx = resolve('node_modules/.bin/tsx');
  for (const [mode, modules] of [['production', MODULES_JSON], ['e2e', '']] as const) {
    const started = performance.now();
    await run$(tsx, ['bench/lib/build-extension.ts', mode, OUT_BASE, ...(modules ? [modules] : [])], { maxBuffer: 64 << 20, timeout: 180_000 });
    ctx.log(`built ${mode} into ${OUT_BASE} in ${seconds(performance.now() - started, 1)}`);
  }
}

function articleHtml(seed: number, heading: string): string {
  const p = prose(seed);
  const paragraphs = Array.from({ length: 6 }, () => `<p>${p.paragraph()}</p>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${heading}</title></head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main><article><h1>${heading}</h1>
${paragraphs}
</article></main><footer>© Bench</footer></body></html>`;
}

/** About `chars` characters of Markdown: headings, paragraphs, lists, emphasis, code, tables. */
function markdownAnswer(seed: number, chars: number): string {
  const p = prose(seed);
  const parts: string[] = [];
  let length = 0;
  let section = 0;
  while (length < chars) {
    section++;
    const block: string[] = [`## ${section}. ${p.title()}`, ''];
    block.push(p.paragraph().replace(/(\w+) (\w+)/, '**$1 $2**'), '');
    block.push(...Array.from({ length: 3 + p.int(4) }, () => `- ${p.sentence().replace(/ (\w+) /, ' `$1` ')}`), '');
    block.push(p.paragraph(), '');
    if (section % 4 === 0) block.push('1. ' + p.sentence(), '2. ' + p.sentence(), '3. ' + p.sentence(), '');
    if (section % 7 === 0) block.push('```ts', `const ${p.word().replace(/\W/g, '') || 'x'} = ${p.int(1000)};`, 'console.log(value);', '```', '');
    if (section % 9 === 0) block.push('| item | value |', '| --- | --- |', `| ${p.word()} | ${p.int(100)} |`, `| ${p.word()} | ${p.int(100)} |`, '');
    const text = block.join('\n');
    parts.push(text);
    length += text.length + 1;
  }
  return parts.join('\n').slice(0, Math.round(chars)).replace(/\s+\S*$/, '') + '\n';
}

async function countTokens(text: string): Promise<number | undefined> {
  try {
    const { encode } = await import('gpt-tokenizer/encoding/o200k_base');
    return encode(text).length;
  } catch {
    return undefined;
  }
}

function startPageServer(pages: Map<string, string>) {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const body = pages.get(path);
    if (body === undefined) {
      res.writeHead(path === '/favicon.ico' ? 204 : 404, { 'cache-control': 'no-store' });
      res.end();
      return;
    }
    // Peer pages are cross-origin isolated: performance.now() then has 5 µs resolution, not 100 µs.
    const isolation = path.startsWith('/peer-') ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body), ...isolation });
    res.end(body);
  });
  return new Promise<{ origin: string; close(): Promise<void> }>((ok) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      ok({
        origin: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Browser-side helpers.

interface Env {
  ctx: BenchContext;
  context: BrowserContext;
  extensionId: string;
  worker(): Promise<Worker>;
  mock: MockLlm;
  proxy: TimingProxy;
  origin: string;
  peerCode: string;
}

/**
 * Offset of a browser clock (`performance.timeOrigin + performance.now()` there) from Node's:
 * browser − node, from the round trip with the smallest spread.
 */
async function clockOffset(evaluate: () => Promise<number>, tries = 12): Promise<{ offset: number; rtt: number }> {
  let best = { offset: 0, rtt: Infinity };
  for (let i = 0; i < tries; i++) {
    const t0 = nowMs();
    const there = await evaluate();
    const t1 = nowMs();
    if (t1 - t0 < best.rtt) best = { offset: there - (t0 + t1) / 2, rtt: t1 - t0 };
  }
  return best;
}

const pageClock = (page: Page | Frame) => clockOffset(() => page.evaluate(() => performance.timeOrigin + performance.now()));
const workerClock = (worker: Worker) => clockOffset(() => worker.evaluate(() => performance.timeOrigin + performance.now()));

/**
 * In the sidebar's frame, from the start of its document (a context init script; it runs only in
 * the sidebar-frame page): resolves `__firstText` when the answer element first holds text (`at`,
 * the DOM mutation, marked `bench:first` in a trace), and when that text is on screen
 * (`onScreenAt`): the start of the rendering step of the first frame that contains it. A DOM
 * change made during a frame's animation-frame callbacks is rendered in that frame; one made in any
 * other task waits for the next frame. A rAF loop, registered before anything the sidebar
 * registers, raises a flag at the start of each frame's callbacks; a message posted from it (which
 * runs after the frame's rendering) lowers it. The same loop keeps every frame's time in
 * `__frames` (the sidebar's frame gaps while it streams).
 */
function frameWatcher(): void {
  if (location.protocol !== 'chrome-extension:' || location.pathname !== '/sidebar-frame.html') return;
  const now = () => performance.timeOrigin + performance.now();
  let inFrame = false;
  let frameStart = 0;
  const frames = { times: [] as number[] };
  (window as any).__frames = frames;
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    inFrame = false;
  };
  const loop = () => {
    inFrame = true;
    frameStart = now();
    frames.times.push(frameStart);
    channel.port2.postMessage(0);
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  (window as any).__firstText = new Promise((resolve) => {
    const check = () => {
      // When the sidebar first rendered (it connects to its job right after): was it ready before the first token?
      (window as any).__asideAt ??= document.querySelector('aside') ? now() : undefined;
      const answer = document.querySelector('[data-testid="answer"]');
      if (!answer || (answer.textContent ?? '').trim() === '') return;
      const at = now();
      performance.mark('bench:first');
      observer.disconnect();
      if (inFrame) {
        // The rendering step follows the callbacks still to run in this frame: take the frame's start.
        resolve({ at, onScreenAt: Math.max(at, frameStart) });
      } else {
        requestAnimationFrame(() => resolve({ at, onScreenAt: now() }));
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document, { childList: true, subtree: true, characterData: true });
  });
}

/** The sidebar's frame in `page` (an extension page in an iframe in the host's shadow root), once it is there. */
async function sidebarFrameOf(page: Page, timeoutMs = 10_000): Promise<Frame> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const frame = page.frames().find((f) => f.url().endsWith('/sidebar-frame.html'));
    if (frame) return frame;
    if (performance.now() > deadline) throw new Error('no sidebar frame in the page');
    await sleep(5);
  }
}

/** In the sidebar's frame: resolves when the sidebar says the job is done (polled, so it costs nothing per token). */
function sidebarDone(frame: Frame, timeoutMs: number): Promise<{ at: number; chars: number; status: string } | undefined> {
  return frame.evaluate((timeout) => {
    return new Promise((resolve) => {
      const started = performance.now();
      const timer = setInterval(() => {
        const root = document;
        // A failed job shows an error panel instead of a status line.
        const error = root?.querySelector('.error[role="alert"]');
        const status = error ? `error: ${error.getAttribute('data-kind')}: ${error.textContent}` : (root?.querySelector('.status')?.getAttribute('data-status') ?? '');
        const finished = !!error || ['done', 'stopped', 'interrupted'].includes(status);
        if (finished || performance.now() - started > timeout) {
          clearInterval(timer);
          const chars = root?.querySelector('[data-testid="answer"]')?.textContent?.length ?? 0;
          resolve(finished ? { at: performance.timeOrigin + performance.now(), chars, status } : undefined);
        }
      }, 25);
    });
  }, timeoutMs);
}

interface Metrics {
  script: number;
  task: number;
}

async function metrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const get = (name: string) => (list.find((m) => m.name === name)?.value ?? 0) * 1000;
  return { script: get('ScriptDuration'), task: get('TaskDuration') };
}

const diff = (a: Metrics, b: Metrics): Metrics => ({ script: b.script - a.script, task: b.task - a.task });

async function openPage(env: Env, path: string): Promise<Page> {
  const page = await env.context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (e) => env.ctx.log(`  (page error) ${e.message}`));
  await page.goto(env.origin + path, { waitUntil: 'load' });
  await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
  return page;
}

/** Calls the "Summarise page" menu item's handler for `page`'s tab; returns the worker-clock time of the call. */
async function summariseFromMenu(env: Env, page: Page): Promise<{ at: number; outcome: any }> {
  await page.bringToFront();
  return (await env.worker()).evaluate(async (url) => {
    const [tab] = await chrome.tabs.query({ url });
    const at = performance.timeOrigin + performance.now();
    const outcome = await (globalThis as any).precisTest.onMenuClicked({ menuItemId: 'summarise-page' }, tab);
    return { at, outcome };
  }, page.url());
}

const lastExchange = (proxy: TimingProxy, since: number): Exchange | undefined => proxy.exchanges.slice(since).at(-1);

// ---------------------------------------------------------------------------------------------
// 1. Time to first token on screen.

interface TtftSample {
  /** First answer event leaving the proxy → answer text in the sidebar's DOM. */
  added: number;
  /** … → the start of the rendering step of the first frame that shows it. */
  onScreen: number;
  /** Menu handler called → completion request at the proxy. */
  beforeRequest: number;
  /** Menu handler called → text in the DOM (includes the mock's fixed wait). */
  total: number;
  /** Precis only: the sidebar frame's navigation start → the sidebar rendered (before it connects to its job). */
  frameLoad?: number;
  /** Precis only: the sidebar rendered → the first answer event leaving the proxy (negative: the frame was not ready for the first token). */
  frameLead?: number;
  /** Traced runs only: first answer event leaving the proxy → its port message handled in the page (worker + IPC), → the animation frame that renders it, → DOM. */
  steps?: { toPage: number; toFrame: number; toDom: number; commitTaskCpu: number };
}

async function ttftPrecis(env: Env, i: number, trace = false): Promise<TtftSample> {
  const page = await openPage(env, `/ttft-${i}.html`);
  const cdp = trace ? await env.context.newCDPSession(page) : undefined;
  try {
    const since = env.proxy.exchanges.length;
    const { offset: wOffset } = await workerClock(await env.worker());
    // The watcher is already in the frame (a context init script): it exists from the frame's first line on.
    const body = async () => {
      const menu = await summariseFromMenu(env, page);
      if (!menu.outcome?.ok) throw new Error(`summarise failed: ${JSON.stringify(menu.outcome)}`);
      const frame = await sidebarFrameOf(page);
      const first = await withCap(
        frame.evaluate(async () => ({ ...(await ((window as any).__firstText as Promise<{ at: number; onScreenAt: number }>)), asideAt: (window as any).__asideAt as number, loadAt: performance.timeOrigin })),
        10_000,
      );
      if (!first) throw new Error('no answer text in the sidebar within 10 s');
      return { menu, frame, first };
    };
    const { result, events } = cdp ? await recordTrace(cdp, body) : { result: await body(), events: undefined };
    if (events && process.env.PRECIS_BENCH_TRACE_DIR) await writeFile(join(process.env.PRECIS_BENCH_TRACE_DIR, `surfaces-ttft-${i}.json`), JSON.stringify({ traceEvents: events }));
    const { menu, frame, first } = result;
    await sidebarDone(frame, 10_000);
    // The frame's clock, once it is idle (it is another renderer process than the page).
    const { offset } = await pageClock(frame);
    const ex = lastExchange(env.proxy, since);
    if (!ex?.firstContentAt) throw new Error('the proxy saw no answer');
    const menuAt = menu.at - wOffset;
    const sample: TtftSample = {
      added: first.at - offset - ex.firstContentAt,
      onScreen: first.onScreenAt - offset - ex.firstContentAt,
      beforeRequest: ex.requestAt - menuAt,
      total: first.at - offset - menuAt,
      frameLoad: first.asideAt - first.loadAt,
      frameLead: ex.firstContentAt - (first.asideAt - offset),
    };
    if (events) {
      const steps = firstTokenSteps(events, first.at);
      if (steps) {
        sample.steps = {
          toPage: steps.messageAt - offset - ex.firstContentAt,
          toFrame: steps.frameAt - steps.messageAt,
          toDom: first.at - steps.frameAt,
          commitTaskCpu: steps.commitTaskCpu,
        };
      }
    }
    return sample;
  } finally {
    await cdp?.detach().catch(() => undefined);
    await page.close();
  }
}

/**
 * From a trace of a first token: when the sidebar's frame received the message that carried it
 * (the last port message before the animation frame that rendered it), when that frame's
 * animation-frame callbacks began, as epoch ms of the frame's clock (`firstAt`, the DOM mutation time, is the
 * `bench:first` mark's), and the CPU time of the task in which the text reached the DOM.
 */
function firstTokenSteps(events: TraceEvent[], firstAt: number): { messageAt: number; frameAt: number; commitTaskCpu: number } | undefined {
  const mark = markOf(events, 'bench:first');
  if (!mark) return undefined;
  const onThread = (events as (TraceEvent & { tdur?: number })[]).filter((e) => e.pid === mark.pid && e.tid === mark.tid && e.ph === 'X' && e.ts <= mark.ts);
  const frame = onThread.filter((e) => e.name === 'FireAnimationFrame').at(-1);
  if (!frame) return undefined;
  const calls = onThread.filter((e) => e.name === 'FunctionCall');
  const message = onThread
    .filter((e) => e.name === 'Receive mojo message' && e.ts < frame.ts)
    .filter((r) => calls.some((c) => r.ts <= c.ts && c.ts <= r.ts + (r.dur ?? 0)))
    .at(-1);
  if (!message) return undefined;
  const task = onThread.filter((e) => /RunTask$/.test(e.name) && e.ts + (e.dur ?? 0) >= mark.ts).at(0);
  const epoch = (ts: number) => firstAt - (mark.ts - ts) / 1000;
  return { messageAt: epoch(message.ts), frameAt: epoch(frame.ts), commitTaskCpu: (task?.tdur ?? task?.dur ?? NaN) / 1000 };
}

async function peerStream(env: Env, page: Page, mode: PeerMode, content: string, capMs?: number): Promise<PeerStream> {
  const body = { model: MODEL, stream: true, messages: [{ role: 'user', content }] };
  return page.evaluate(
    ({ url, body, mode, capMs }) => (globalThis as any).__precisBench.stream(url, body, mode, capMs),
    { url: `${env.proxy.url}/v1/chat/completions`, body, mode, capMs },
  );
}

async function openPeerPage(env: Env, path: string): Promise<Page> {
  const page = await openPage(env, path);
  await page.evaluate(env.peerCode);
  return page;
}

async function ttftFloor(env: Env, i: number): Promise<TtftSample> {
  const page = await openPeerPage(env, `/peer-${i}.html`);
  try {
    const since = env.proxy.exchanges.length;
    const { offset } = await pageClock(page);
    const started = nowMs();
    const r = await peerStream(env, page, 'floor', `floor ${i}`);
    const ex = lastExchange(env.proxy, since);
    if (!ex?.firstContentAt || !r.firstTextAt) throw new Error('floor saw no answer');
    return {
      added: r.firstTextAt - offset - ex.firstContentAt,
      onScreen: r.onScreenAt - offset - ex.firstContentAt,
      beforeRequest: ex.requestAt - started,
      total: r.firstTextAt - offset - started,
    };
  } finally {
    await page.close();
  }
}

async function measureTtft(env: Env) {
  const { ctx, mock } = env;
  const reply = prose(61).paragraph();
  mock.set({ reply, firstByteDelayMs: FIRST_BYTE_DELAY_MS, tokenDelayMs: 5, chunkSize: undefined });
  env.proxy.setPace(undefined);
  // One of each first, not counted: the first summary opens the database, compiles the content script, …
  const warm = await ttftPrecis(env, 0);
  await ttftFloor(env, 0);
  ctx.log(`  warm-up (not counted): added ${ms(warm.added, 1)}, menu → request ${ms(warm.beforeRequest, 1)}`);
  const precis: TtftSample[] = [];
  const floor: TtftSample[] = [];
  for (let i = 1; i <= TTFT_RUNS; i++) {
    // Alternate who goes first so drift on the machine hits both alike.
    const order = i % 2 ? ['precis', 'floor'] : ['floor', 'precis'];
    for (const who of order) {
      if (who === 'precis') precis.push(await ttftPrecis(env, i));
      else floor.push(await ttftFloor(env, i));
    }
    const last = precis.at(-1)!;
    ctx.log(`  run ${i}/${TTFT_RUNS}: Precis +${ms(last.added, 1)} (menu → request ${ms(last.beforeRequest, 1)}; frame loaded in ${ms(last.frameLoad!, 0)}, ${ms(last.frameLead!, 0)} before the first token), floor +${ms(floor.at(-1)!.added, 1)}`);
  }
  // The first renderMarkdown in a fresh script, against a warm one: what the first token pays.
  const cold: { coldMs: number; warmMs: number }[] = [];
  for (let i = 0; i < 5; i++) {
    const page = await openPeerPage(env, `/peer-cold-${i}.html`);
    cold.push(await page.evaluate((text) => (globalThis as any).__precisBench.firstRenderCost(text), reply.split(' ').slice(0, 3).join(' ')));
    await page.close();
  }
  ctx.log(`  first renderMarkdown in a fresh script: ${q50(cold.map((c) => c.coldMs))} (then ${q50(cold.map((c) => c.warmMs))})`);
  // A few more, traced, to see where the added latency goes (tracing costs a little, so not counted above).
  const traced: TtftSample[] = [];
  for (let i = 1; i <= TTFT_TRACED_RUNS; i++) traced.push(await ttftPrecis(env, TTFT_RUNS + i, true));
  const steps = traced.flatMap((s) => (s.steps ? [s.steps] : []));
  if (steps.length > 0) {
    ctx.log(`  traced: to frame's port message ${q50(steps.map((s) => s.toPage))}, to animation frame ${q50(steps.map((s) => s.toFrame))}, to DOM ${q50(steps.map((s) => s.toDom))} (render task ${q50(steps.map((s) => s.commitTaskCpu).filter(Number.isFinite))} CPU)`);
  }
  return { precis, floor, traced, steps, cold };
}

const q50 = (values: number[]) => ms(percentile(values, 50), 1);

// ---------------------------------------------------------------------------------------------
// 2. A 20,000-token answer.

interface StreamResult {
  who: string;
  /** The main thread that renders the answer (Precis: the sidebar's frame; a peer: the page), from the click to the answer complete. */
  main: ThreadTime;
  /** The page's own main thread over the same window (for Precis the sidebar's host: the sidebar itself runs in its frame's process). */
  page: ThreadTime;
  /** The same from the first answer text on: the stream itself, without injection and mount. */
  streaming: ThreadTime;
  /** CDP Performance.getMetrics ScriptDuration / TaskDuration (thread time) over the whole window. */
  metrics: Metrics;
  wallMs: number;
  /** Longest gap between animation frames, over the whole window and from the first answer text on. */
  frameGap: number;
  frameGapStreaming: number;
  chars: number;
  deltas: number;
  renders?: number;
  capped?: boolean;
  /** Last answer byte leaving the proxy → the sidebar showing the job done. */
  finishLagMs?: number;
}

interface SlowPhase {
  /** The page's main thread over this phase only. */
  main: ThreadTime;
  ms: number;
  frameGap: number;
}

interface SlowResult {
  /** Events in each slow phase. */
  events: number;
  /** The first events, from the first answer text on. */
  head: SlowPhase;
  /** The last events, once the answer is long. */
  tail: SlowPhase;
}

/** Answer events `i` leave `at(i)` ms after the first: the first `head` and the last `tail` of them at TAIL_RATE, the rest at `rate`. */
function paceFor(events: number, tail = 0, rate = STREAM_RATE, head = 0) {
  const fast = events - tail;
  const slow = (n: number) => (n / TAIL_RATE) * 1000;
  return (i: number) => (i < head ? slow(i) : i < fast ? slow(head) + ((i - head) / rate) * 1000 : slow(head) + ((fast - head) / rate) * 1000 + slow(i - fast));
}

/** In the page: a requestAnimationFrame loop recording every frame's time (epoch ms). */
async function startFrameLoop(page: Page): Promise<void> {
  await page.evaluate(() => {
    const s = { times: [] as number[], running: true };
    const loop = () => {
      s.times.push(performance.timeOrigin + performance.now());
      if (s.running) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
    (window as any).__frames = s;
  });
}

async function stopFrameLoop(page: Page | Frame): Promise<number[]> {
  return page.evaluate(() => {
    const s = (window as any).__frames;
    s.running = false;
    return s.times as number[];
  });
}

function maxGap(times: number[], from = -Infinity): number {
  let gap = 0;
  for (let i = 1; i < times.length; i++) if (times[i]! > from) gap = Math.max(gap, times[i]! - Math.max(times[i - 1]!, from));
  return gap;
}

/**
 * Traces `body` with marks `bench:start` / `bench:end` put in the page around it, and returns the
 * time between them, and from `bench:first` (first answer text) and `bench:tail` (if marked) to
 * the end, of the main thread that marked `bench:first`: the page's for a peer, the sidebar
 * frame's (another renderer process) for Precis. `page` is the page's own main thread over the
 * whole window (for Precis: the sidebar's host, and whatever the page itself does).
 */
async function traced<T>(page: Page, cdp: CDPSession, body: () => Promise<T>) {
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  let before: Metrics | undefined;
  let after: Metrics | undefined;
  const { result, events } = await recordTrace(cdp, async () => {
    await page.evaluate(() => performance.mark('bench:start'));
    before = await metrics(cdp);
    const r = await body();
    after = await metrics(cdp);
    await page.evaluate(() => performance.mark('bench:end'));
    return r;
  });
  // PRECIS_BENCH_TRACE_DIR=dir keeps each trace, to open in DevTools' Performance panel.
  if (process.env.PRECIS_BENCH_TRACE_DIR) {
    const file = join(process.env.PRECIS_BENCH_TRACE_DIR, `surfaces-${new URL(page.url()).pathname.slice(1).replace(/\W+/g, '-')}${Date.now()}.json`);
    await writeFile(file, JSON.stringify({ traceEvents: events }));
  }
  const start = markOf(events, 'bench:start');
  const end = markOf(events, 'bench:end');
  if (!start || !end) throw new Error('the trace has no bench marks');
  const first = markOf(events, 'bench:first');
  const tail = markOf(events, 'bench:tail');
  const headEnd = markOf(events, 'bench:head-end');
  const thread = first ?? start;
  const window = (from: number, to = end.ts) => threadTime(events, thread.pid, thread.tid, from, to);
  return {
    result,
    metrics: diff(before!, after!),
    page: threadTime(events, start.pid, start.tid, start.ts, end.ts),
    main: window(start.ts),
    streaming: window(first?.ts ?? start.ts),
    head: first && headEnd && window(first.ts, headEnd.ts),
    tail: tail && window(tail.ts),
  };
}

/** In the sidebar's frame: the answer's text length once it has stopped changing for `quietMs`. */
function settledLength(frame: Frame, quietMs: number): Promise<number> {
  return frame.evaluate((quiet) => {
    return new Promise<number>((resolve) => {
      let last = -1;
      let since = performance.now();
      const timer = setInterval(() => {
        const length = document.querySelector('[data-testid="answer"]')?.textContent?.length ?? 0;
        if (length !== last) {
          last = length;
          since = performance.now();
        } else if (length > 0 && performance.now() - since >= quiet) {
          clearInterval(timer);
          resolve(length);
        }
      }, 20);
    });
  }, quietMs);
}

async function streamPrecis(env: Env, path: string, events: number): Promise<StreamResult> {
  const page = await openPage(env, path);
  const cdp = await env.context.newCDPSession(page);
  try {
    const since = env.proxy.exchanges.length;
    env.proxy.setPace({ at: paceFor(events) });
    let frame: Frame | undefined;
    const started = performance.now();
    const t = await traced(page, cdp, async () => {
      const menu = await summariseFromMenu(env, page);
      if (!menu.outcome?.ok) throw new Error(`summarise failed: ${JSON.stringify(menu.outcome)}`);
      frame = await sidebarFrameOf(page);
      return sidebarDone(frame, 120_000);
    });
    const wallMs = performance.now() - started;
    // The sidebar frame's clock and frames: the frame watcher's rAF loop (see frameWatcher).
    const { offset } = await pageClock(frame!);
    const frames = await stopFrameLoop(frame!);
    const first = (await frame!.evaluate(() => (window as any).__firstText)) as { at: number };
    const done = t.result;
    if (!done) throw new Error('the long answer did not finish within 120 s');
    if (done.status !== 'done') throw new Error(`the long answer ended ${done.status}`);
    const ex = lastExchange(env.proxy, since);
    return {
      who: 'Precis sidebar',
      main: t.main,
      page: t.page,
      streaming: t.streaming,
      metrics: t.metrics,
      wallMs,
      frameGap: maxGap(frames),
      frameGapStreaming: maxGap(frames, first.at),
      chars: done.chars,
      deltas: ex?.events ?? 0,
      ...(ex?.doneAt && { finishLagMs: done.at - offset - ex.doneAt }),
    };
  } finally {
    env.proxy.setPace(undefined);
    await cdp.detach().catch(() => undefined);
    await page.close();
  }
}

/**
 * The cost of one token at a model's usual pace, at the start of the answer and once it is long:
 * the first SLOW_EVENTS events come at TAIL_RATE, the answer then arrives as fast as the sidebar
 * takes it, the proxy holds the last SLOW_EVENTS events until the page has gone quiet, then
 * releases them at TAIL_RATE. The trace is read over both slow phases.
 */
async function streamPrecisSlow(env: Env, path: string, events: number): Promise<SlowResult> {
  const page = await openPage(env, path);
  const cdp = await env.context.newCDPSession(page);
  try {
    let open!: () => void;
    const gate = { index: events - SLOW_EVENTS, open: new Promise<void>((resolve) => (open = resolve)) };
    let headEnd: Promise<number> | undefined;
    let tailStartedAt = 0;
    let frame: Frame | undefined;
    env.proxy.setPace({
      at: paceFor(events, SLOW_EVENTS, TAIL_FAST_RATE, SLOW_EVENTS),
      gate,
      onRelease: (i) => {
        // In the sidebar's frame, so that every time of this run is on its clock.
        if (i === SLOW_EVENTS && frame) {
          headEnd = frame.evaluate(() => {
            performance.mark('bench:head-end');
            return performance.timeOrigin + performance.now();
          });
        }
      },
    });
    const t = await traced(page, cdp, async () => {
      const menu = await summariseFromMenu(env, page);
      if (!menu.outcome?.ok) throw new Error(`summarise failed: ${JSON.stringify(menu.outcome)}`);
      frame = await sidebarFrameOf(page);
      await settledLength(frame, 400);
      tailStartedAt = await frame.evaluate(() => {
        performance.mark('bench:tail');
        return performance.timeOrigin + performance.now();
      });
      // PRECIS_BENCH_PROFILE_DIR=dir keeps a V8 CPU profile of the page over the slow tail (open it in DevTools).
      const profile = process.env.PRECIS_BENCH_PROFILE_DIR;
      if (profile) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
        await cdp.send('Profiler.start');
      }
      open();
      const done = await sidebarDone(frame, 60_000);
      if (profile) {
        const { profile: data } = (await cdp.send('Profiler.stop')) as { profile: unknown };
        await writeFile(join(profile, `surfaces-tail-${Date.now()}.cpuprofile`), JSON.stringify(data));
      }
      return done;
    });
    const frames = await stopFrameLoop(frame!);
    const first = (await frame!.evaluate(() => (window as any).__firstText)) as { at: number };
    if (t.result?.status !== 'done' || !t.tail || !t.head || !headEnd) {
      throw new Error(`the slow run did not finish: ${JSON.stringify({ result: t.result, tail: !!t.tail, head: !!t.head, headEnd: !!headEnd })}`);
    }
    const headEndAt = await headEnd;
    return {
      events: SLOW_EVENTS,
      head: { main: t.head, ms: headEndAt - first.at, frameGap: maxGap(frames.filter((f) => f <= headEndAt), first.at) },
      tail: { main: t.tail, ms: t.result.at - tailStartedAt, frameGap: maxGap(frames, tailStartedAt) },
    };
  } finally {
    env.proxy.setPace(undefined);
    await cdp.detach().catch(() => undefined);
    await page.close();
  }
}

const PEER_NAMES: Record<PeerMode, string> = {
  floor: 'peer: bare page, textContent per frame (floor)',
  naive: 'peer: whole-answer Markdown re-render per frame',
  'naive-delta': 'peer: whole-answer Markdown re-render per delta',
};

async function streamPeer(env: Env, path: string, mode: PeerMode, events: number, capMs?: number): Promise<StreamResult> {
  const page = await openPeerPage(env, path);
  const cdp = await env.context.newCDPSession(page);
  try {
    env.proxy.setPace({ at: paceFor(events) });
    await startFrameLoop(page);
    const started = performance.now();
    const t = await traced(page, cdp, () => peerStream(env, page, mode, `${mode} stream`, capMs));
    const wallMs = performance.now() - started;
    const frames = await stopFrameLoop(page);
    const r = t.result;
    return {
      who: PEER_NAMES[mode],
      main: t.main,
      page: t.page,
      streaming: t.streaming,
      metrics: t.metrics,
      wallMs,
      frameGap: maxGap(frames),
      frameGapStreaming: maxGap(frames, r.firstTextAt),
      chars: r.chars,
      deltas: r.deltas,
      renders: r.renders,
      capped: r.capped,
    };
  } finally {
    env.proxy.setPace(undefined);
    await cdp.detach().catch(() => undefined);
    await page.close();
  }
}

/** About `tokens` o200k tokens of Markdown: headings, paragraphs, lists, emphasis, code, tables. */
async function sizedAnswer(tokens: number): Promise<{ answer: string; tokens?: number }> {
  let chars = tokens * 4.3;
  let answer = markdownAnswer(7, chars);
  let counted = await countTokens(answer);
  for (let i = 0; i < 2 && counted && Math.abs(counted - tokens) > tokens * 0.01; i++) {
    chars *= tokens / counted;
    answer = markdownAnswer(7, chars);
    counted = await countTokens(answer);
  }
  return { answer, tokens: counted };
}

async function measureStream(env: Env) {
  const { ctx, mock } = env;
  const { answer, tokens } = await sizedAnswer(STREAM_TOKENS);
  const events = Math.ceil(Array.from(answer).length / STREAM_CHUNK_CHARS);
  mock.set({ reply: answer, firstByteDelayMs: 0, tokenDelayMs: 0, chunkSize: STREAM_CHUNK_CHARS });
  ctx.log(`  answer: ${answer.length.toLocaleString('en')} chars, ${tokens?.toLocaleString('en') ?? '?'} tokens (o200k), ${events.toLocaleString('en')} events of ${STREAM_CHUNK_CHARS} chars, paced at ${STREAM_RATE.toLocaleString('en')}/s`);
  const results: StreamResult[] = [];
  const describe = (r: StreamResult) =>
    `scripting ${ms(r.main.scripting)} (${ms(r.streaming.scripting)} after first text), rendering ${ms(r.main.rendering + r.main.painting)}, busy ${ms(r.main.busy)} CPU, ` +
    `wall ${seconds(r.wallMs, 1)}, longest task ${ms(r.main.longestTask)} (${ms(r.streaming.longestTask)} after first text), max frame gap ${ms(r.frameGap)} (${ms(r.frameGapStreaming)}); getMetrics script ${ms(r.metrics.script)}`;
  const precis = await streamPrecis(env, '/stream-a.html', events);
  ctx.log(`  Precis: ${describe(precis)}; done ${ms(precis.finishLagMs ?? NaN)} after the last byte`);
  results.push(precis);
  for (const mode of ['floor', 'naive'] as const) {
    const r = await streamPeer(env, `/peer-${mode}.html`, mode, events);
    ctx.log(`  ${r.who}: ${describe(r)}`);
    results.push(r);
  }
  const naiveDelta = await streamPeer(env, '/peer-naive-delta.html', 'naive-delta', events, NAIVE_DELTA_CAP_MS);
  ctx.log(`  ${naiveDelta.who}: ${describe(naiveDelta)}, ${naiveDelta.deltas} of ${events} deltas${naiveDelta.capped ? ' (capped)' : ''}`);
  results.push(naiveDelta);
  const slow = await streamPrecisSlow(env, '/stream-b.html', events);
  for (const [name, phase] of [['first', slow.head], ['last', slow.tail]] as const) {
    ctx.log(
      `  Precis, ${name} ${slow.events} tokens at ${TAIL_RATE}/s: page scripting ${ms(phase.main.scripting)}, rendering ${ms(phase.main.rendering + phase.main.painting)}, busy ${ms(phase.main.busy)} CPU over ${seconds(phase.ms, 1)}; ` +
        `by event ${phase.main.top.map(([n, t]) => `${n} ${t.toFixed(0)}`).join(', ')}`,
    );
  }

  // What one sidebar render costs as the answer grows, in isolation (Precis's <Markdown>, flushSync).
  const probe = await openPeerPage(env, '/peer-render.html');
  const lengths = [10_000, 25_000, 50_000, answer.length];
  const renderCost = await probe.evaluate(
    ({ text, lengths }) => (globalThis as any).__precisBench.markdownRenderCost(text, lengths) as RenderCost[],
    { text: answer, lengths },
  );
  await probe.close();
  ctx.log(`  one <Markdown> render: ${renderCost.map((r) => `${(r.chars / 1000).toFixed(0)}k chars ${ms(r.renderMs, 2)} (split ${ms(r.splitMs, 2)})`).join(', ')}`);
  return { answer, tokens, events, results, slow, renderCost };
}

// ---------------------------------------------------------------------------------------------
// 3. Worker cold start.

async function measureColdStart(env: Env) {
  const { ctx, context, extensionId } = env;
  for (const p of context.pages()) await p.close();
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/options.html`, { waitUntil: 'load' });
  await sleep(500);
  const cdp = await context.newCDPSession(page);
  const status = new Map<string, string>();
  cdp.on('ServiceWorker.workerVersionUpdated', (e: { versions: { scriptURL: string; runningStatus: string }[] }) => {
    for (const v of e.versions) if (v.scriptURL.includes(extensionId)) status.set('ours', v.runningStatus);
  });
  await cdp.send('ServiceWorker.enable');
  const roundTrip = () =>
    page.evaluate(async () => {
      const t0 = performance.now();
      const reply = await chrome.runtime.sendMessage({ type: 'settings.get' });
      return { ms: performance.now() - t0, ok: reply?.ok === true };
    });
  const cold: number[] = [];
  const warm: number[] = [];
  let notStopped = 0;
  const requestsBefore = env.proxy.requests.length;
  for (let i = 0; i < COLD_RUNS; i++) {
    await cdp.send('ServiceWorker.stopAllWorkers');
    const deadline = performance.now() + 3_000;
    while (status.get('ours') !== 'stopped' && performance.now() < deadline) await sleep(10);
    if (status.get('ours') !== 'stopped') notStopped++;
    await sleep(100);
    const c = await roundTrip();
    if (!c.ok) throw new Error('settings.get failed after a cold start');
    cold.push(c.ms);
    await sleep(50);
    warm.push((await roundTrip()).ms);
    warm.push((await roundTrip()).ms);
    await sleep(300);
  }
  ctx.log(`  cold ${cold.map((v) => v.toFixed(0)).join(' ')} ms; warm p50 ${ms(percentile(warm, 50), 1)}`);
  const wakeRequests = env.proxy.requests.slice(requestsBefore).map((r) => r.line);
  await cdp.detach().catch(() => undefined);
  await page.close();
  return { cold, warm, notStopped, wakeRequests };
}

// ---------------------------------------------------------------------------------------------
// 4. Bundles.

interface FileSize {
  path: string;
  raw: number;
  gzip: number;
}

async function fileSize(dir: string, path: string): Promise<FileSize> {
  const bytes = await readFile(join(dir, path));
  return { path, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

/** The JS and CSS an HTML entry loads: its scripts, their static imports (transitively), its styles. */
async function htmlClosure(dir: string, html: string): Promise<string[]> {
  const text = await readFile(join(dir, html), 'utf8');
  const files = new Set<string>();
  const queue = [...text.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (files.has(file)) continue;
    files.add(file);
    if (!file.endsWith('.js')) continue;
    const code = await readFile(join(dir, file), 'utf8');
    const base = file.slice(0, file.lastIndexOf('/') + 1);
    for (const m of code.matchAll(/(?:import|from)\s*["']\.\/([^"']+\.js)["']/g)) queue.push(base + m[1]);
  }
  return [...files];
}

function groupOf(id: string): string {
  const path = id.replace(/\\/g, '/').replace(/^\0/, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const root = process.cwd().replace(/\\/g, '/') + '/';
  const rel = path.startsWith(root) ? path.slice(root.length) : path;
  const parts = rel.split('/');
  if (parts[0] === 'lib' || parts[0] === 'components' || parts[0] === 'entrypoints') return parts.length > 2 ? `${parts[0]}/${parts[1]}` : rel;
  return rel.includes('?') ? rel.replace(/\?.*$/, '') + ' (inline)' : rel;
}

async function composition(chunk: Record<string, string>): Promise<{ group: string; modules: number; min: number; gzip: number }[]> {
  const groups = new Map<string, { modules: number; code: string[] }>();
  for (const [id, code] of Object.entries(chunk)) {
    if (!code) continue;
    const g = groupOf(id);
    const entry = groups.get(g) ?? { modules: 0, code: [] };
    entry.modules++;
    entry.code.push(code);
    groups.set(g, entry);
  }
  const out = [];
  for (const [group, { modules, code }] of groups) {
    const min = (await transform(code.join('\n;\n'), { minify: true, loader: 'js', logLevel: 'silent' }).catch(() => ({ code: code.join('\n') }))).code;
    out.push({ group, modules, min: Buffer.byteLength(min), gzip: gzipSync(min, { level: 9 }).length });
  }
  return out.sort((a, b) => b.min - a.min);
}

/** The scripts injected into pages (unlisted scripts at the build's root), and what each is for. */
const CONTENT_SCRIPT_ROLES: Record<string, string> = {
  reader: 'injected: page reader (before extraction)',
  'sidebar-host': "injected: sidebar host (a closed shadow root holding the sidebar's frame)",
};

async function measureBundles(env: Env | undefined) {
  const dir = PROD_DIR;
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  const contentScripts = Object.keys(CONTENT_SCRIPT_ROLES).map((name) => `${name}.js`);
  const surfaces: { name: string; files: string[] }[] = [
    { name: 'background (service worker)', files: ['background.js'] },
    ...contentScripts.map((f) => ({ name: CONTENT_SCRIPT_ROLES[f.replace(/\.js$/, '')]!, files: [f] })),
    { name: "sidebar frame (extension page, loaded in the host's iframe)", files: await htmlClosure(dir, 'sidebar-frame.html') },
    { name: 'popup', files: await htmlClosure(dir, 'popup.html') },
    { name: 'options', files: await htmlClosure(dir, 'options.html') },
  ];
  const sizes = [];
  for (const s of surfaces) {
    const files = await Promise.all(s.files.map((f) => fileSize(dir, f)));
    sizes.push({ ...s, files, raw: files.reduce((a, f) => a + f.raw, 0), gzip: files.reduce((a, f) => a + f.gzip, 0) });
  }
  const modules = JSON.parse(await readFile(MODULES_JSON, 'utf8')) as Record<string, Record<string, string>>;
  const parts: { file: string; parts: Awaited<ReturnType<typeof composition>> }[] = [];
  // The sidebar frame's code: its entry chunk and the chunks it imports.
  const frameChunks = (await htmlClosure(dir, 'sidebar-frame.html')).filter((f) => f.endsWith('.js'));
  const frameModules = Object.assign({}, ...frameChunks.map((f) => modules[f] ?? {})) as Record<string, string>;
  for (const file of [...contentScripts, 'background.js']) parts.push({ file, parts: await composition(modules[file] ?? {}) });
  parts.push({ file: 'sidebar-frame.html scripts', parts: await composition(frameModules) });
  const publicFiles = await readdir(join(dir, 'tokenizer')).catch(() => [] as string[]);
  const tokenizer = await Promise.all(publicFiles.map((f) => fileSize(dir, `tokenizer/${f}`)));

  // What injecting each content script costs a page: executeScript of the built file into a fresh
  // page, from the worker, against executeScript of a one-line function (the floor of an injection).
  const inject = new Map<string, number[]>();
  if (env) {
    const kinds = [...contentScripts, 'floor'];
    for (let i = 0; i < INJECT_RUNS + 1; i++) {
      for (const kind of kinds) {
        const page = await openPage(env, `/inject-${i}.html`);
        await page.bringToFront();
        const took = await (await env.worker()).evaluate(
          async ({ url, file }) => {
            const [tab] = await chrome.tabs.query({ url });
            const t0 = performance.now();
            if (file) await chrome.scripting.executeScript({ target: { tabId: tab.id }, files: [file] });
            else await chrome.scripting.executeScript({ target: { tabId: tab.id }, func: () => 1 });
            return performance.now() - t0;
          },
          { url: page.url(), file: kind === 'floor' ? undefined : `/${kind}` },
        );
        await page.close();
        if (i > 0) inject.set(kind, [...(inject.get(kind) ?? []), took]);
      }
    }
    env.ctx.log(`  inject: ${[...inject].map(([k, v]) => `${k} p50 ${ms(percentile(v, 50), 1)}`).join(', ')}`);
  }
  return { sizes, parts, tokenizer, inject, kb };
}

// ---------------------------------------------------------------------------------------------

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const want = (name: string) => ctx.only.length === 0 || ctx.only.includes(name);
  ctx.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} before building`);
  await buildExtension(ctx);

  const pages = new Map<string, string>();
  for (let i = 0; i <= TTFT_RUNS + TTFT_TRACED_RUNS; i++) {
    pages.set(`/ttft-${i}.html`, articleHtml(1000 + i, `First token page ${i}`));
    pages.set(`/peer-${i}.html`, '<!doctype html><html><head><meta charset="utf-8"><title>peer</title></head><body></body></html>');
    pages.set(`/peer-cold-${i}.html`, '<!doctype html><html><head><meta charset="utf-8"><title>peer</title></head><body></body></html>');
  }
  for (const name of ['stream-a', 'stream-b']) pages.set(`/${name}.html`, articleHtml(name.length * 7 + name.charCodeAt(7), `Long answer page ${name}`));
  for (const mode of ['floor', 'naive', 'naive-delta', 'render']) pages.set(`/peer-${mode}.html`, '<!doctype html><html><head><meta charset="utf-8"><title>peer</title></head><body></body></html>');
  for (let i = 0; i <= INJECT_RUNS; i++) pages.set(`/inject-${i}.html`, articleHtml(5000 + i, `Injection page ${i}`));

  const mock = await startMockLlm();
  const proxy = await startTimingProxy(Number(new URL(mock.url).port));
  const site = await startPageServer(pages);
  const peerCode = await bundleEntry('bench/browser/surfaces-peer.ts');
  // PRECIS_BENCH_EXTENSION_DIR=dir runs the browser measurements against another build of the e2e
  // flavour (e.g. a copy of the tree with a proposed fix, built by bench/lib/build-extension.ts).
  const extensionDir = resolve(process.env.PRECIS_BENCH_EXTENSION_DIR ?? E2E_DIR);
  if (process.env.PRECIS_BENCH_EXTENSION_DIR) ctx.log(`PRECIS_BENCH_EXTENSION_DIR: measuring ${extensionDir}`);
  const context = await chromium.launchPersistentContext('', {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    locale: 'en-US',
    args: [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, '--lang=en-US', ...CHROMIUM_ARGS],
  });
  // tsx compiles this file with esbuild's keepNames: functions passed to page.evaluate may call `__name`.
  await context.addInitScript('globalThis.__name ??= (f) => f;');
  await context.addInitScript(frameWatcher);
  const worker = async () => {
    const w = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    await w.evaluate('globalThis.__name ??= (f) => f;');
    return w;
  };
  const extensionId = new URL((await worker()).url()).host;
  const env: Env = { ctx, context, extensionId, worker, mock, proxy, origin: site.origin, peerCode };
  const version = context.browser()?.version() ?? (await (await worker()).evaluate(() => navigator.userAgent)).match(/Chrome\/([\d.]+)/)?.[1] ?? '?';
  ctx.log(`Chromium ${version}; extension ${extensionId}; load average ${os.loadavg()[0]!.toFixed(2)}`);
  // The e2e build has a fixed id, and the managed-policy e2e writes a machine-wide policy for it
  // while it runs: a benchmark started meanwhile would measure the administrator's setup.
  const policy = await withCap((await worker()).evaluate(() => chrome.storage.managed.get().catch(() => ({}))), 8_000);
  if (policy && Object.keys(policy).length > 0) ctx.log(`WARNING: a managed policy applies to this extension (${Object.keys(policy).join(', ')}): /etc/chromium/policies/managed/ has a file from another run`);

  let ttft: Awaited<ReturnType<typeof measureTtft>> | undefined;
  let stream: Awaited<ReturnType<typeof measureStream>> | undefined;
  let coldStart: Awaited<ReturnType<typeof measureColdStart>> | undefined;
  let bundles: Awaited<ReturnType<typeof measureBundles>> | undefined;
  const loads: string[] = [];
  const phase = async <T>(name: string, f: () => Promise<T>): Promise<T | undefined> => {
    if (!want(name)) return undefined;
    const load = os.loadavg()[0]!.toFixed(2);
    ctx.log(`${name} (load average ${load})`);
    const started = performance.now();
    const result = await f();
    loads.push(`${name}: load ${load} at start, ${seconds(performance.now() - started, 0)}`);
    return result;
  };
  try {
    await (await worker()).evaluate(
      (s) => (globalThis as any).precisTest.saveSettings(s),
      { baseUrl: `${proxy.url}/v1`, model: MODEL, apiKey: 'sk-bench-surfaces' },
    );
    ttft = await phase('ttft', () => measureTtft(env));
    stream = await phase('stream', () => measureStream(env));
    bundles = await phase('bundle', () => measureBundles(env));
    coldStart = await phase('cold', () => measureColdStart(env));
  } finally {
    await context.close().catch(() => undefined);
    await proxy.close();
    await mock.close();
    await site.close();
  }

  // -------------------------------------------------------------------------------------------
  // Report.
  const targets: Target[] = [];
  const parts: string[] = [];
  const q = (values: number[], p: number, digits = 1) => ms(percentile(values, p), digits);

  if (ttft) {
    const p95 = percentile(ttft.precis.map((s) => s.added), 95);
    targets.push({ name: `first token on screen: added latency over the mock's first byte ≤ ${TTFT_TARGET_MS} ms (p95 of ${TTFT_RUNS})`, pass: p95 <= TTFT_TARGET_MS, measured: ms(p95, 1) });
    const row = (name: string, samples: TtftSample[]) => [
      name,
      q(samples.map((s) => s.added), 50),
      q(samples.map((s) => s.added), 95),
      q(samples.map((s) => s.onScreen), 50),
      q(samples.map((s) => s.onScreen), 95),
      q(samples.map((s) => s.beforeRequest), 50),
      q(samples.map((s) => s.total), 50),
    ];
    parts.push(
      '### Time to first token on screen',
      '',
      `${TTFT_RUNS} runs each, a fresh page every run (a new sidebar frame, and a page the response cache has not seen); the mock waits ${FIRST_BYTE_DELAY_MS} ms after the headers before its first event. ` +
        '"Added" is from the first answer event leaving the timing proxy to the answer element holding text (a MutationObserver in the sidebar\'s frame, an extension page in an iframe in the host\'s closed shadow root, put there from the frame\'s first line by a context init script); ' +
        '"on screen" to the start of the rendering step of the first frame that contains it (a change made during a frame\'s requestAnimationFrame callbacks is painted in that frame, one made in any other task waits for the next). ' +
        'Browser and Node clocks are aligned by offsets measured at each run (smallest of 12 round trips, < 1 ms; the sidebar frame\'s once it is idle). ' +
        '"Menu → request" is from the menu handler being called to the completion request reaching the proxy (page reader injection, extraction, prompt); "menu → text" includes the mock\'s fixed wait.',
      '',
      table(['first token', 'added p50', 'added p95', 'on screen p50', 'on screen p95', 'menu → request p50', 'menu → text p50'], [
        row('Precis: menu handler → sidebar', ttft.precis),
        row('peer: bare page fetch + stream + textContent (floor)', ttft.floor),
      ]),
      '',
      `The sidebar's frame is a new extension page every run: from its navigation to the sidebar rendered (it then connects to its job) took ${q(ttft.precis.map((s) => s.frameLoad!), 50)} p50, ` +
        `${q(ttft.precis.map((s) => s.frameLoad!), 95)} p95, and it was ready ${q(ttft.precis.map((s) => s.frameLead!), 50)} p50 before the first answer event left the proxy ` +
        `(not ready in ${ttft.precis.filter((s) => s.frameLead! < 0).length} of ${ttft.precis.length} runs; the mock's ${FIRST_BYTE_DELAY_MS} ms wait is the time it has).`,
      '',
      ...(ttft.steps.length > 0
        ? [
            `Where the added latency goes (${ttft.steps.length} more runs with a Chromium trace of the page and its sidebar frame, p50 of each step): ` +
              `${q50(ttft.steps.map((s) => s.toPage))} from the first answer event leaving the proxy to the sidebar frame handling the port message that carries it (the worker's fetch, SSE parsing, job runner and IPC; ` +
              `it includes the clock offset's uncertainty), ${q50(ttft.steps.map((s) => s.toFrame))} waiting for the animation frame that \`useJob\` batches deltas into, ` +
              `${q50(ttft.steps.map((s) => s.toDom))} from that frame's callbacks to the text in the DOM (React render and commit; the task that commits it takes ${q50(ttft.steps.map((s) => s.commitTaskCpu).filter(Number.isFinite))} of CPU). ` +
              `In those runs: added p50 ${q50(ttft.traced.map((s) => s.added))}. ` +
              `The first \`renderMarkdown\` call in a freshly evaluated script (a plain page, ${ttft.cold.length} times) takes ${q50(ttft.cold.map((c) => c.coldMs))}, the next ones ${q50(ttft.cold.map((c) => c.warmMs))}: ` +
              'marked and DOMPurify compile and set up on first use, and every page gets a fresh sidebar frame: a sidebar that has not paid for that before the first token pays for it on the first token (the CPU of the task that commits it, above, tells which).',
            '',
          ]
        : []),
    );
  }

  if (stream) {
    const precis = stream.results[0]!;
    const floor = stream.results[1]!;
    targets.push({
      name: `${STREAM_TOKENS.toLocaleString('en')}-token answer: main-thread scripting of the sidebar (its frame) ≤ ${STREAM_SCRIPT_TARGET_MS} ms (click → done, CPU)`,
      pass: precis.main.scripting <= STREAM_SCRIPT_TARGET_MS,
      measured: ms(precis.main.scripting),
    });
    targets.push({
      name: `${STREAM_TOKENS.toLocaleString('en')}-token answer: sidebar stays responsive (no task on its main thread ≥ ${LONG_TASK_MS} ms of CPU while it streams)`,
      pass: precis.streaming.longestTaskCpu < LONG_TASK_MS,
      measured: `longest ${ms(precis.streaming.longestTaskCpu)} CPU (${ms(precis.streaming.longestTask)} wall); frame gap ${ms(precis.frameGapStreaming)} (floor peer ${ms(floor.frameGapStreaming)})`,
    });
    const rows = stream.results.map((r) => [
      r.who,
      ms(r.main.scripting),
      ratio(r.main.scripting / precis.main.scripting),
      ms(r.main.rendering + r.main.painting),
      ms(r.main.busy),
      seconds(r.wallMs, 1),
      `${r.deltas.toLocaleString('en')}${r.capped ? ` (cut at ${seconds(NAIVE_DELTA_CAP_MS, 0)})` : ''}`,
      r.renders !== undefined ? r.renders.toLocaleString('en') : '–',
      `${ms(r.streaming.longestTask)} / ${ms(r.streaming.longestTaskCpu)}`,
      ms(r.frameGapStreaming),
      `${ms(r.main.longestTask)} / ${ms(r.main.longestTaskCpu)}`,
    ]);
    const { slow, renderCost } = stream;
    const perToken = (v: number) => ms(v / slow.events, 2);
    const slowRow = (name: string, p: SlowPhase) => [
      name,
      perToken(p.main.scripting),
      perToken(p.main.rendering + p.main.painting),
      perToken(p.main.busy),
      `${((p.main.busy / p.ms) * 100).toFixed(0)}%`,
      ms(p.main.longestTaskCpu),
      ms(p.frameGap),
    ];
    parts.push(
      `### A ${STREAM_TOKENS.toLocaleString('en')}-token answer streamed into the sidebar`,
      '',
      `A generated Markdown answer (headings, paragraphs, bullet and numbered lists, bold, code spans, code blocks, tables): ${stream.answer.length.toLocaleString('en')} characters, ` +
        `${stream.tokens?.toLocaleString('en') ?? '?'} o200k tokens, sent as ${stream.events.toLocaleString('en')} SSE events of ${STREAM_CHUNK_CHARS} characters (about a token each) ` +
        `that the proxy releases at ${STREAM_RATE.toLocaleString('en')} events/s (the mock cannot wait less than 1 ms between events). ` +
        "Times come from a Chromium trace of the main thread that renders the answer (for Precis the sidebar frame's, another renderer process than the page's; for a peer the page's) between marks put just before the menu click and after the sidebar says done, " +
        'added up as DevTools does (self time by category: scripting; rendering + painting; busy = all top-level tasks), in thread CPU time so that the other work on this machine does not inflate them. ' +
        `Meanwhile the page's own main thread, which holds only the sidebar's host, spent ${ms(precis.page.scripting)} scripting and ${ms(precis.page.busy)} busy. ` +
        "(CDP `Performance.getMetrics` ScriptDuration of the page over the same window: " +
        `${ms(precis.metrics.script)} for Precis's page, which does not include the frame; it leaves out promise continuations, so it would call the peers' async stream readers almost free.) ` +
        "Frame gaps come from a requestAnimationFrame loop in the page (peers) or in the sidebar's frame (Precis), in wall time. " +
        'The peers are page scripts reading the same paced stream themselves, so their scripting includes reading and parsing the SSE, which Precis does in the worker; ' +
        `the per-delta renderer is cut off after ${seconds(NAIVE_DELTA_CAP_MS, 0)}.`,
      '',
      table(
        ['renderer', 'scripting', 'vs Precis', 'render + paint', 'busy', 'wall', 'deltas', 'renders', 'longest task while streaming (wall / CPU)', 'max frame gap while streaming', 'longest task incl. injection'],
        rows,
      ),
      '',
      `Where the sidebar's scripting went (self CPU time by trace event): ${precis.main.top.map(([n, t]) => `${n} ${ms(t)}`).join(', ')}; ` +
        `${precis.main.tasks.toLocaleString('en')} main-thread tasks for ${precis.deltas.toLocaleString('en')} answer events. ` +
        (precis.finishLagMs !== undefined ? `The sidebar showed the job done ${ms(precis.finishLagMs)} after the last answer byte left the proxy.` : ''),
      '',
      `At a model's usual pace (${TAIL_RATE} tokens/s), at the start of the answer and once it is long: a second run sends the first ${slow.events} events at ${TAIL_RATE}/s, ` +
        `then the answer as fast as the sidebar takes it, holds the last ${slow.events} events until the page has gone quiet and releases them at ${TAIL_RATE}/s ` +
        `(the answer is then ~${Math.round(stream.answer.length / 1000)}k characters). The sidebar frame's main thread, CPU per token:`,
      '',
      table(['phase', 'scripting', 'style, layout, paint', 'all', 'share of a core', 'longest task (CPU)', 'max frame gap'], [
        slowRow(`first ${slow.events} tokens`, slow.head),
        slowRow(`last ${slow.events} tokens (~${Math.round(stream.answer.length / 1000)}k chars)`, slow.tail),
      ]),
      '',
      "One render of the sidebar's `<Markdown>` as the answer grows (isolated in a plain page: Precis's component, a few characters added, committed with `flushSync`; scripting only, p50 of 40):",
      '',
      table(
        ['answer so far', 'blocks', 'one render', 'of which splitBlocks(whole text)'],
        renderCost.map((r) => [`${r.chars.toLocaleString('en')} chars`, String(r.blocks), ms(r.renderMs, 2), ms(r.splitMs, 2)]),
      ),
      '',
    );
  }

  if (coldStart) {
    const p95 = percentile(coldStart.cold, 95);
    targets.push({ name: `worker cold start: stopped worker → first message answered ≤ ${COLD_TARGET_MS} ms (p95 of ${COLD_RUNS})`, pass: p95 <= COLD_TARGET_MS, measured: ms(p95, 1) });
    const models = coldStart.wakeRequests.filter((l) => l.startsWith('GET /v1/models')).length;
    parts.push(
      '### Worker cold start',
      '',
      `From the options page: \`chrome.runtime.sendMessage({type: 'settings.get'})\` round trip right after CDP \`ServiceWorker.stopAllWorkers\` (the worker's status seen as stopped first${coldStart.notStopped ? `; ${coldStart.notStopped} runs did not see it stop` : ''}), ${COLD_RUNS} times; the warm peer is the same message twice more right after.`,
      '',
      table(['settings.get round trip', 'p50', 'p95', 'max'], [
        ['cold: stopped worker', q(coldStart.cold, 50), q(coldStart.cold, 95), ms(Math.max(...coldStart.cold), 1)],
        ['peer: warm worker', q(coldStart.warm, 50), q(coldStart.warm, 95), ms(Math.max(...coldStart.warm), 1)],
      ]),
      '',
      `Requests the worker made to the provider during these ${COLD_RUNS} starts: ${coldStart.wakeRequests.length} (${models} \`GET /v1/models\`, the connection warm-up).`,
      '',
    );
  }

  if (bundles) {
    const { sizes, parts: compositions, tokenizer, inject, kb } = bundles;
    const total = (list: { min: number }[]) => list.reduce((a, p) => a + p.min, 0);
    const partRows = (list: { group: string; modules: number; min: number; gzip: number }[], limit: number) => {
      const sum = total(list);
      const shown = list.slice(0, limit).map((p) => [p.group, String(p.modules), kb(p.min), kb(p.gzip), `${((p.min / sum) * 100).toFixed(0)}%`]);
      const rest = list.slice(limit);
      if (rest.length > 0) shown.push([`${rest.length} more`, String(rest.reduce((a, p) => a + p.modules, 0)), kb(total(rest)), kb(rest.reduce((a, p) => a + p.gzip, 0)), `${((total(rest) / sum) * 100).toFixed(0)}%`]);
      return shown;
    };
    const injectRows = [...inject].map(([kind, v]) => [kind === 'floor' ? 'peer: a one-line `func` (the floor of an injection)' : `\`${kind}\``, q(v, 50), q(v, 95)]);
    parts.push(
      '### Bundle sizes (production build)',
      '',
      `\`wxt build\` (production) into ${PROD_DIR}; gzip -9. Popup and options count the HTML entry's scripts, their static imports and styles.`,
      '',
      table(['surface', 'raw', 'gzip', 'files'], sizes.map((s) => [s.name, kb(s.raw), kb(s.gzip), s.files.map((f) => `${f.path} (${kb(f.raw)})`).join(', ')])),
      '',
      ...(tokenizer.length > 0 ? [`Not counted above: ${tokenizer.map((f) => `${f.path} ${kb(f.raw)} (${kb(f.gzip)} gzip)`).join(', ')}, fetched by the worker the first time a page is too long for an estimate.`, ''] : []),
      "What each script is made of (rollup's modules in the file, grouped by package or folder; each group minified on its own with esbuild, so the sum is close to, not exactly, the file):",
      '',
      ...compositions.flatMap(({ file, parts: list }) => [table([`${file} part`, 'modules', 'min', 'gzip', 'share'], partRows(list, file === 'background.js' ? 10 : 12)), '']),
      ...(inject.size > 0
        ? [
            `Injecting each script: \`chrome.scripting.executeScript({files: […]})\` into a fresh page from the worker, ${INJECT_RUNS} pages (after one not counted). ` +
              'The page reader is injected before extraction, so its time is on the way to the request; the sidebar host is injected after the job has started, while the request is in flight, and loads the sidebar frame (an extension page, not counted here).',
            '',
            table(['executeScript', 'p50', 'p95'], injectRows),
            '',
          ]
        : []),
    );
  }

  for (const part of parts) ctx.log(part);
  const markdown = [
    `Headless Chromium ${version}, the extension built from the working tree (production code; the e2e flavour adds only the 127.0.0.1 host permission and test hooks), the mock LLM behind a timing proxy, all on 127.0.0.1. ` +
      `Shared machine: ${loads.join('; ')}.`,
    '',
    table(['target', 'measured', 'result'], targets.map((t) => [t.name, t.measured, passFail(t.pass)])),
    '',
    ...parts,
  ].join('\n');
  return { title, markdown, targets };
}
