// Stall: a stream that goes silent. Abort: the caller cancels while the client waits out a
// server-requested 30 s backoff.

import { startMockLlm, type Fault } from '../../tests/support/mock-llm';
import type { Target } from '../lib/types';
import { ms, seconds, sleep, table, withCap } from '../lib/format';
import { errorLabel } from './load';
import type { Peer } from './peers';
import type { ScenarioReport } from './burst';

export const STALL = {
  /** Precis runs with this idle timeout (and first-byte timeout) here; its defaults are 30 s. */
  timeoutMs: 2_000,
  /** Peers that never notice get aborted by the bench after this long. */
  capMs: 6_000,
  toleranceMs: 100,
  reply: 'one two three four five six seven eight nine ten',
} as const;

export const ABORT = { retryAfterS: 30, abortAfterMs: 100, capMs: 35_000, observeMs: 1_000, maxReturnMs: 50 } as const;

type Settled = { ok: true; at: number } | { ok: false; at: number; error: unknown };

function settle(promise: Promise<unknown>): Promise<Settled> {
  return promise.then(
    () => ({ ok: true as const, at: performance.now() }),
    (error: unknown) => ({ ok: false as const, at: performance.now(), error }),
  );
}

interface StallRow {
  peer: string;
  fault: string;
  tokens: number;
  outcome: string;
  /**
   * From the last data (or the request, if none came) to the client acting on the stall: giving
   * up, or sending a retry.
   */
  noticedAfterMs: number | undefined;
  /** From the request to the call settling. */
  returnedAfterMs: number | undefined;
  upstreamCalls: number;
  openAfter: number;
}

async function stallOnce(peer: Peer, fault: Fault, label: string): Promise<StallRow> {
  const mock = await startMockLlm({ reply: STALL.reply });
  try {
    mock.fail(fault);
    const client = peer.create(mock.baseUrl);
    const caller = new AbortController();
    let tokens = 0;
    const started = performance.now();
    const startedEpoch = Date.now();
    let lastData = started;
    const pending = settle(
      client.chat('tell me a story', {
        signal: caller.signal,
        onDelta: () => {
          tokens += 1;
          lastData = performance.now();
        },
      }),
    );
    const result = await withCap(pending, STALL.capMs);
    let outcome: string;
    let noticedAfterMs: number | undefined;
    let returnedAfterMs: number | undefined;
    const retry = mock.completions()[1];
    if (result === undefined) {
      outcome = `still waiting at ${seconds(STALL.capMs, 0)} (aborted by the bench)`;
      caller.abort();
      await withCap(pending, 1_000);
    } else {
      returnedAfterMs = result.at - started;
      if (result.ok && retry !== undefined) {
        // The stalled attempt sent nothing, so its stall began when the request went out.
        noticedAfterMs = retry.at - startedEpoch;
        outcome = 'retried, answered';
      } else {
        noticedAfterMs = result.at - lastData;
        outcome = result.ok ? 'answered' : errorText(result.error);
      }
    }
    await sleep(100);
    return {
      peer: peer.name,
      fault: label,
      tokens,
      outcome,
      noticedAfterMs,
      returnedAfterMs,
      upstreamCalls: mock.stats().completions,
      openAfter: mock.stats().inFlight,
    };
  } finally {
    await mock.close();
  }
}

function errorText(error: unknown): string {
  const e = error as { kind?: string; timeoutPhase?: string; partialText?: string };
  if (e?.kind === 'timeout') return `timeout (${e.timeoutPhase})${e.partialText ? ', partial text kept' : ''}`;
  return errorLabel(error);
}

export async function runStall(peers: Peer[], precisNames: string[], log: (line?: string) => void): Promise<ScenarioReport> {
  const rows: StallRow[] = [];
  const faults: [Fault, string][] = [
    [{ kind: 'stall', afterChunks: 3 }, 'mid-answer (after 3 tokens)'],
    [{ kind: 'stall', afterChunks: 0 }, 'before the first token'],
  ];
  for (const [fault, label] of faults) {
    for (const peer of peers) {
      log(`  stall ${label}: ${peer.name}…`);
      rows.push(await stallOnce(peer, fault, label));
    }
  }
  const targets: Target[] = rows
    .filter((r) => precisNames.includes(r.peer) && r.fault.startsWith('mid'))
    .map((r) => ({
      name: `stall, ${r.peer}: detected within the idle timeout (${seconds(STALL.timeoutMs, 0)} + ${STALL.toleranceMs} ms)`,
      pass: r.noticedAfterMs !== undefined && r.noticedAfterMs <= STALL.timeoutMs + STALL.toleranceMs && r.outcome.startsWith('timeout (idle)'),
      measured: r.noticedAfterMs === undefined ? 'not detected' : ms(r.noticedAfterMs),
    }));
  const markdown = [
    `One streamed request; the server stops sending and leaves the connection open (once; a retry gets a normal answer). Precis runs with idleTimeoutMs = firstByteTimeoutMs = ${STALL.timeoutMs} ms here (defaults: 30 s); the SDK with its defaults (its \`timeout\`, 10 min, only covers the wait for the response headers). "Stall noticed after": from the last data received (or the request, when no token came) to the client giving up or sending its retry. Peers still waiting after ${STALL.capMs / 1000} s are aborted by the bench.`,
    '',
    table(
      ['peer', 'stall', 'tokens got', 'outcome', 'stall noticed after', 'call returned after', 'upstream calls', 'connections left open'],
      rows.map((r) => [
        r.peer,
        r.fault,
        String(r.tokens),
        r.outcome,
        r.noticedAfterMs === undefined ? '–' : ms(r.noticedAfterMs),
        r.returnedAfterMs === undefined ? '–' : ms(r.returnedAfterMs),
        String(r.upstreamCalls),
        String(r.openAfter),
      ]),
    ),
  ].join('\n');
  return { markdown, targets };
}

interface AbortRow {
  peer: string;
  outcome: string;
  returnMs: number | undefined;
  callsAfterAbort: number;
}

async function abortOnce(peer: Peer): Promise<AbortRow> {
  const mock = await startMockLlm({});
  try {
    mock.fail({ kind: 'status', status: 429, headers: { 'retry-after': String(ABORT.retryAfterS) } });
    const client = peer.create(mock.baseUrl);
    const caller = new AbortController();
    const pending = settle(client.chat('abort me', { signal: caller.signal }));
    for (let waited = 0; (mock.stats().status[429] ?? 0) < 1 && waited < 2_000; waited += 2) await sleep(2);
    await sleep(ABORT.abortAfterMs);
    const callsAtAbort = mock.stats().completions;
    const abortedAt = performance.now();
    caller.abort();
    const result = await withCap(pending, ABORT.capMs);
    const returnMs = result === undefined ? undefined : Math.max(0, result.at - abortedAt);
    await sleep(ABORT.observeMs);
    let outcome: string;
    if (result === undefined) outcome = `not returned within ${seconds(ABORT.capMs, 0)}`;
    else if (result.ok) outcome = result.at < abortedAt ? 'answered before the abort (retried early)' : 'answered';
    else outcome = errorLabel(result.error);
    return { peer: peer.name, outcome, returnMs: result !== undefined && result.at < abortedAt ? undefined : returnMs, callsAfterAbort: mock.stats().completions - callsAtAbort };
  } finally {
    await mock.close();
  }
}

export async function runAbort(peers: Peer[], precisNames: string[], log: (line?: string) => void): Promise<ScenarioReport> {
  const rows: AbortRow[] = [];
  for (const peer of peers) {
    log(`  abort: ${peer.name}…`);
    rows.push(await abortOnce(peer));
    log(`    returned after ${rows[rows.length - 1]!.returnMs === undefined ? '–' : ms(rows[rows.length - 1]!.returnMs!, 1)}`);
  }
  const targets: Target[] = [];
  for (const r of rows.filter((x) => precisNames.includes(x.peer))) {
    targets.push(
      {
        name: `abort, ${r.peer}: returns in < ${ABORT.maxReturnMs} ms`,
        pass: r.returnMs !== undefined && r.returnMs < ABORT.maxReturnMs,
        measured: r.returnMs === undefined ? r.outcome : ms(r.returnMs, 1),
      },
      { name: `abort, ${r.peer}: no upstream request after the abort`, pass: r.callsAfterAbort === 0, measured: String(r.callsAfterAbort) },
    );
  }
  const markdown = [
    `The first answer is a 429 with \`retry-after: ${ABORT.retryAfterS}\`; the caller aborts ${ABORT.abortAfterMs} ms after the 429 reached the server's log, i.e. during the backoff. "Returned after" is from \`abort()\` to the call settling; upstream calls are counted until ${ABORT.observeMs / 1000} s after that. The SDK's retry sleep is a plain timer that the signal does not cut short (it checks the signal only before the next attempt); the naive loop ignores retry-after and sleeps its own full-jitter backoff (≤ 500 ms before the first retry), also uninterruptibly.`,
    '',
    table(
      ['peer', 'outcome', 'returned after abort', 'upstream calls after abort'],
      rows.map((r) => [r.peer, r.outcome, r.returnMs === undefined ? '–' : ms(r.returnMs, 1), String(r.callsAfterAbort)]),
    ),
  ].join('\n');
  return { markdown, targets };
}
