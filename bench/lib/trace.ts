// Chromium traces for the benchmarks: record one through a page's CDP session, then add up a
// thread's time the way DevTools' Performance panel does (self time of each trace event, by
// category). CDP's `Performance.getMetrics` ScriptDuration misses JavaScript that runs as promise
// continuations (code after an `await`), so a stream reader written with async/await looked free;
// a trace does not.

import type { CDPSession } from '@playwright/test';

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: Record<string, any>;
}

// Not disabled-by-default-devtools.timeline: it adds a counters sample to every task, which on a
// stream of 20,000 small tasks doubled the time being measured.
const CATEGORIES = ['toplevel', 'devtools.timeline', 'v8.execute', 'blink.user_timing', '__metadata'];

/** Traces while `body` runs. The session must belong to a page (or the browser). */
export async function recordTrace<T>(cdp: CDPSession, body: () => Promise<T>): Promise<{ result: T; events: TraceEvent[] }> {
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: { recordMode: 'recordAsMuchAsPossible', includedCategories: CATEGORIES, excludedCategories: ['*'] },
  });
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await body() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const complete = new Promise<{ stream?: string }>((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  const { stream } = await complete;
  const events = stream ? await readStream(cdp, stream) : [];
  if (!outcome.ok) throw outcome.error;
  const result = outcome.value;
  return { result, events };
}

async function readStream(cdp: CDPSession, handle: string): Promise<TraceEvent[]> {
  const parts: string[] = [];
  for (;;) {
    const { data, eof, base64Encoded } = (await cdp.send('IO.read', { handle, size: 1 << 22 })) as { data: string; eof: boolean; base64Encoded?: boolean };
    parts.push(base64Encoded ? Buffer.from(data, 'base64').toString('utf8') : data);
    if (eof) break;
  }
  await cdp.send('IO.close', { handle });
  const json = JSON.parse(parts.join('')) as TraceEvent[] | { traceEvents: TraceEvent[] };
  return Array.isArray(json) ? json : json.traceEvents;
}

/** The thread on which `performance.mark(name)` ran (a page's main thread), and the mark's time. */
export function markOf(events: TraceEvent[], name: string): { pid: number; tid: number; ts: number } | undefined {
  const e = events.find((x) => x.name === name && x.cat.includes('blink.user_timing'));
  return e && { pid: e.pid, tid: e.tid, ts: e.ts };
}

export function threadNames(events: TraceEvent[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, String(e.args?.name ?? ''));
  return names;
}

const SCRIPTING =
  /^(FunctionCall|EvaluateScript|EvaluateModule|CompileScript|CompileModule|CacheScript|RunMicrotasks|TimerFire|TimerInstall|TimerRemove|FireAnimationFrame|RequestAnimationFrame|CancelAnimationFrame|FireIdleCallback|EventDispatch|XHR|MinorGC|MajorGC|GCEvent|BlinkGC|V8\.|v8\.|ThreadState::|ScheduledAction|PerformanceObserver|BlinkScheduler_PerformMicrotaskCheckpoint)/;
const RENDERING =
  /^(Layout|UpdateLayoutTree|RecalculateStyles|ScheduleStyleRecalculation|InvalidateLayout|HitTest|UpdateLayer|UpdateLayerTree|PrePaint|Layerize|ParseAuthorStyleSheet|IntersectionObserverController|ComputeIntersections|LayoutShift)/;
const PAINTING = /^(Paint|PaintImage|PaintSetup|CompositeLayers|Rasterize|RasterTask|Decode|Draw|Commit|UpdateLayer)/;
const TASK = /^(RunTask|ThreadControllerImpl::RunTask)$/;

export interface ThreadTime {
  /** CPU time (the events' thread durations) of top-level tasks: what the thread itself spent, whatever else the machine was doing. */
  busy: number;
  scripting: number;
  rendering: number;
  painting: number;
  other: number;
  /** Wall time of top-level tasks. */
  busyWall: number;
  tasks: number;
  /**
   * Longest top-level event (a task, or a microtask checkpoint outside one): in wall time (what a
   * user waits, including time the OS gave to other processes) and, separately, in CPU time.
   */
  longestTask: number;
  longestTaskCpu: number;
  /** Self CPU time by event name, for the scripting events, largest first. */
  top: [string, number][];
}

/**
 * DevTools-style totals for one thread, in ms, over events that start in [from, to) (trace µs).
 * Each event's self time (its time less its children's) goes to its category. Times are thread
 * (CPU) times where the trace has them (`tdur`), so a loaded machine does not inflate them.
 */
export function threadTime(events: TraceEvent[], pid: number, tid: number, from = -Infinity, to = Infinity): ThreadTime {
  const spans = (events as (TraceEvent & { tdur?: number })[])
    .filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && typeof e.dur === 'number' && e.ts >= from && e.ts < to)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const cpu = (e: TraceEvent & { tdur?: number }) => e.tdur ?? e.dur!;
  const self = new Map<TraceEvent, number>();
  const stack: TraceEvent[] = [];
  let busy = 0;
  let busyWall = 0;
  let tasks = 0;
  let longestTask = 0;
  let longestTaskCpu = 0;
  for (const e of spans) {
    while (stack.length > 0 && stack.at(-1)!.ts + stack.at(-1)!.dur! <= e.ts) stack.pop();
    const parent = stack.at(-1);
    if (parent) self.set(parent, (self.get(parent) ?? 0) - cpu(e));
    self.set(e, (self.get(e) ?? 0) + cpu(e));
    if (!parent) {
      busy += cpu(e);
      busyWall += e.dur!;
      if (TASK.test(e.name)) tasks++;
      longestTask = Math.max(longestTask, e.dur!);
      longestTaskCpu = Math.max(longestTaskCpu, cpu(e));
    }
    stack.push(e);
  }
  let scripting = 0;
  let rendering = 0;
  let painting = 0;
  let other = 0;
  const byName = new Map<string, number>();
  for (const [e, t0] of self) {
    const t = Math.max(0, t0);
    if (SCRIPTING.test(e.name)) {
      scripting += t;
      byName.set(e.name, (byName.get(e.name) ?? 0) + t);
    } else if (RENDERING.test(e.name)) rendering += t;
    else if (PAINTING.test(e.name)) painting += t;
    else other += t;
  }
  const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([n, t]) => [n, t / 1000] as [string, number]);
  const k = (v: number) => v / 1000;
  return {
    busy: k(busy),
    scripting: k(scripting),
    rendering: k(rendering),
    painting: k(painting),
    other: k(other),
    busyWall: k(busyWall),
    tasks,
    longestTask: k(longestTask),
    longestTaskCpu: k(longestTaskCpu),
    top,
  };
}
