// Overhead: what the client itself costs on a healthy server, against a bare fetch with a
// hand-rolled SSE split. Warm-up: what `warmUp()` saves on the first request of a fresh client.

import { startMockLlm } from '../../tests/support/mock-llm';
import type { Target } from '../lib/types';
import { median, ms, percentile, sleep, table } from '../lib/format';
import { startTcpCounter } from '../lib/tcp-counter';
import { bareFetchPeer, createPrecis, type Peer, type PeerClient } from './peers';
import type { ScenarioReport } from './burst';

export const OVERHEAD = { tokens: 100, warmupRounds: 40, rounds: 300, connectionProbe: 50, maxAddedMs: 2 } as const;
export const WARMUP = { trials: 30, idleMs: 5 } as const;

const REPLY = Array.from({ length: OVERHEAD.tokens }, (_, i) => `w${i}`).join(' ');

interface Sample {
  ttft: number;
  total: number;
  perToken: number;
}

async function timeOne(client: PeerClient, content: string): Promise<Sample> {
  let first = Number.NaN;
  let deltas = 0;
  const started = performance.now();
  await client.chat(content, {
    onDelta: () => {
      deltas += 1;
      if (Number.isNaN(first)) first = performance.now();
    },
  });
  const ended = performance.now();
  return { ttft: first - started, total: ended - started, perToken: (ended - first) / Math.max(1, deltas - 1) };
}

async function connectionsFor(peer: Peer, requests: number): Promise<number> {
  const mock = await startMockLlm({ reply: REPLY });
  const counter = await startTcpCounter(Number(new URL(mock.url).port));
  try {
    const client = peer.create(`${counter.url}/v1`);
    for (let i = 0; i < requests; i += 1) await client.chat(`connections ${i}`);
    return counter.connections();
  } finally {
    await counter.close();
    await mock.close();
  }
}

export async function runOverhead(peers: Peer[], precisNames: string[], log: (line?: string) => void): Promise<ScenarioReport> {
  const all = [bareFetchPeer, ...peers];
  const mock = await startMockLlm({ reply: REPLY });
  const samples = new Map<string, Sample[]>(all.map((p) => [p.name, []]));
  try {
    const clients = all.map((p) => ({ peer: p, client: p.create(mock.baseUrl) }));
    log(`  overhead: ${OVERHEAD.rounds} measured rounds of ${clients.length} sequential requests…`);
    for (let round = 0; round < OVERHEAD.warmupRounds + OVERHEAD.rounds; round += 1) {
      // Rotate the order so no client always runs right after the same one (GC, timers).
      for (let k = 0; k < clients.length; k += 1) {
        const { peer, client } = clients[(round + k) % clients.length]!;
        const sample = await timeOne(client, `overhead ${round}`);
        if (round >= OVERHEAD.warmupRounds) samples.get(peer.name)!.push(sample);
      }
    }
  } finally {
    await mock.close();
  }

  const connections = new Map<string, number>();
  for (const peer of all) connections.set(peer.name, await connectionsFor(peer, OVERHEAD.connectionProbe));

  const base = samples.get(bareFetchPeer.name)!;
  // Each round ran every client back to back, so compare within rounds: the median of the
  // per-round differences is steadier than a difference of medians when the machine is busy.
  const added = (s: Sample[], pick: (x: Sample) => number) => median(s.map((x, i) => pick(x) - pick(base[i]!)));
  const targets: Target[] = [];
  const rows = all.map((peer) => {
    const s = samples.get(peer.name)!;
    const ttftAdded = added(s, (x) => x.ttft);
    const totalAdded = added(s, (x) => x.total);
    if (precisNames.includes(peer.name)) {
      targets.push(
        { name: `overhead, ${peer.name}: time to first token ≤ ${OVERHEAD.maxAddedMs} ms added at p50`, pass: ttftAdded <= OVERHEAD.maxAddedMs, measured: ms(ttftAdded, 2) },
        { name: `overhead, ${peer.name}: whole ${OVERHEAD.tokens}-token answer ≤ ${OVERHEAD.maxAddedMs} ms added at p50`, pass: totalAdded <= OVERHEAD.maxAddedMs, measured: ms(totalAdded, 2) },
      );
    }
    return [
      peer.name,
      ms(median(s.map((x) => x.ttft)), 2),
      ms(percentile(s.map((x) => x.ttft), 90), 2),
      peer === bareFetchPeer ? '–' : ms(ttftAdded, 2),
      ms(median(s.map((x) => x.total)), 2),
      peer === bareFetchPeer ? '–' : ms(totalAdded, 2),
      `${(median(s.map((x) => x.perToken)) * 1000).toFixed(1)} µs`,
      `${connections.get(peer.name)}/${OVERHEAD.connectionProbe}`,
    ];
  });
  const markdown = [
    `Healthy local server, no latency, ${OVERHEAD.tokens} one-word tokens per answer as fast as the server can write them; ${OVERHEAD.rounds} sequential requests per client after ${OVERHEAD.warmupRounds} warm-up rounds, clients interleaved round by round. Every client sends the same body (stream + include_usage). The mock runs in the same process, so its own work is in every number alike; the "added" columns are what matters: the median over rounds of (client − bare fetch) within the same round. Connections: TCP connections opened for ${OVERHEAD.connectionProbe} back-to-back requests (through a counting proxy, measured separately); 2 rather than 1 is Node's fetch opening a second socket when a request starts in the same tick the previous response ended, for every client alike.`,
    '',
    table(['client', 'TTFT p50', 'TTFT p90', 'TTFT added (p50)', 'answer p50', 'answer added (p50)', 'per token p50', 'connections'], rows),
  ].join('\n');
  return { markdown, targets };
}

export async function runWarmUp(log: (line?: string) => void): Promise<ScenarioReport> {
  const cold: number[] = [];
  const warm: number[] = [];
  const warmUpCalls: number[] = [];
  const reused: number[] = [];
  log(`  warm-up: ${WARMUP.trials} fresh clients each way…`);
  for (let trial = 0; trial < WARMUP.trials * 2; trial += 1) {
    const withWarmUp = trial % 2 === 1;
    const mock = await startMockLlm({ reply: 'a short answer' });
    try {
      const client = createPrecis(mock.baseUrl);
      if (withWarmUp) {
        const t = performance.now();
        await client.warmUp();
        warmUpCalls.push(performance.now() - t);
      }
      // In the extension warm-up runs when a view opens, well before the request. Back to back in
      // the same tick, Node's fetch would not have pooled the warmed socket yet and opens another.
      await sleep(WARMUP.idleMs);
      const ttft = async (content: string) => {
        let first = Number.NaN;
        const started = performance.now();
        await client.chat({ messages: [{ role: 'user', content }] }, { onDelta: () => (first = Number.isNaN(first) ? performance.now() : first) });
        return first - started;
      };
      (withWarmUp ? warm : cold).push(await ttft('first'));
      reused.push(await ttft('second'));
    } finally {
      await mock.close();
    }
  }

  // Whether the warmed connection is the one the first request uses.
  const mock = await startMockLlm({ reply: 'a short answer' });
  const counter = await startTcpCounter(Number(new URL(mock.url).port));
  let connectionsWarm = 0;
  try {
    const client = createPrecis(`${counter.url}/v1`);
    await client.warmUp();
    await sleep(WARMUP.idleMs);
    await client.chat({ messages: [{ role: 'user', content: 'first' }] });
    connectionsWarm = counter.connections();
  } finally {
    await counter.close();
    await mock.close();
  }

  const saved = median(cold) - median(warm);
  const markdown = [
    `A fresh client (and a fresh server, so no pooled connection) per trial, ${WARMUP.trials} trials each way, alternating; time from \`chat()\` to the first token of its first request, which starts ${WARMUP.idleMs} ms after \`warmUp()\` resolved (or after the client was made). Without that idle gap Node's fetch has not yet pooled the warmed socket and opens a second connection; in the extension the warm-up runs when a view opens, long before the request.`,
    '',
    table(
      ['first request', 'TTFT p50', 'TTFT p90'],
      [
        ['without warmUp()', ms(median(cold), 2), ms(percentile(cold, 90), 2)],
        ['after warmUp()', ms(median(warm), 2), ms(percentile(warm, 90), 2)],
        ['(second request, connection reused)', ms(median(reused), 2), ms(percentile(reused, 90), 2)],
      ],
    ),
    '',
    `warmUp() itself took ${ms(median(warmUpCalls), 2)} (p50); warmUp + first chat opened ${connectionsWarm} TCP connection${connectionsWarm === 1 ? '' : 's'}. ` +
      `Saved on the first request here: ${ms(saved, 2)} at p50 — on 127.0.0.1 that is only a loopback TCP connect plus first-use work. ` +
      'Against a remote API over TLS the saving is the TCP + TLS handshake (1 round trip for TCP, 1 more for TLS 1.3 or 2 for TLS 1.2), taken off the first request.',
  ].join('\n');
  return { markdown, targets: [] };
}
