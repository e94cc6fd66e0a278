// A pass-through TCP proxy in front of the mock LLM that timestamps, for every chat-completions
// request, when its bytes arrived and when the server's first answer text (the first SSE event
// with `"content":`) and its `[DONE]` left for the client. Timestamps are epoch ms with
// sub-millisecond resolution (`performance.timeOrigin + performance.now()`), comparable with the
// same expression in Chromium once the clock offset between the two is measured.
//
// It can also pace a streamed answer: the mock cannot wait less than a millisecond between events
// (Node timers), so a 20,000-token answer would take 25 s or more. With `setPace`, the proxy takes
// the mock's answer as fast as it comes and releases it HTTP chunk by HTTP chunk (the mock writes
// one SSE event per chunk) on a schedule, e.g. 4,000 events a second. Unpaced, it adds one
// loopback hop (~0.1 ms) and changes no byte either way.

import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export const nowMs = (): number => performance.timeOrigin + performance.now();

export interface Exchange {
  /** When the request line `POST /v1/chat/completions` reached the proxy. */
  requestAt: number;
  /** When the first SSE event carrying answer text was forwarded to the client. */
  firstContentAt?: number;
  /** When `data: [DONE]` was forwarded. */
  doneAt?: number;
  /** HTTP chunks (SSE events) of the body forwarded. */
  events: number;
  bytes: number;
}

export interface Pace {
  /** Ms after the first body chunk arrived at which body chunk `i` (0-based) may leave. */
  at(i: number): number;
  /** Called as body chunk `i` leaves. */
  onRelease?(i: number, at: number): void;
  /**
   * Holds chunks from `index` on until `open` resolves; then they leave on the same schedule,
   * shifted to start when it opened (e.g. to let the client catch up before a measured phase).
   */
  gate?: { index: number; open: Promise<void> };
}

export interface TimingProxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Completion exchanges in the order their requests arrived. */
  exchanges: Exchange[];
  /** Every request line seen (`GET /v1/models`, …), with its arrival time. */
  requests: { line: string; at: number }[];
  /** Paces the answers of completion requests that arrive from now on; `undefined` stops pacing. */
  setPace(pace: Pace | undefined): void;
  connections(): number;
  close(): Promise<void>;
}

const CRLF2 = Buffer.from('\r\n\r\n');

export async function startTimingProxy(targetPort: number): Promise<TimingProxy> {
  const exchanges: Exchange[] = [];
  const requests: { line: string; at: number }[] = [];
  const sockets = new Set<Socket>();
  let pace: Pace | undefined;
  let count = 0;

  const server = createServer((client) => {
    count += 1;
    const upstream = connect(targetPort, '127.0.0.1');
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    // HTTP/1.1 answers in order on a connection: the current exchange is the last completion
    // request seen on it (clients here never pipeline).
    let current: Exchange | undefined;
    let paced:
      | { pace: Pace; head: boolean; buffer: Buffer; t0?: number; index: number; held?: { bytes: Buffer; index?: number }[]; gateOpenedAt?: number }
      | undefined;
    // Bytes waiting to leave, in order, each with the time it may leave.
    const queue: { at: number; bytes: Buffer; index?: number; pace?: Pace }[] = [];
    // Chunks held behind a closed gate (not yet in the queue).
    let held = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const forward = (bytes: Buffer) => {
      client.write(bytes);
      const at = nowMs();
      if (!current) return;
      current.bytes += bytes.length;
      const text = bytes.toString('latin1');
      if (current.firstContentAt === undefined && /"content":"[^"]/.test(text)) current.firstContentAt = at;
      if (current.doneAt === undefined && text.includes('data: [DONE]')) current.doneAt = at;
    };
    const drain = () => {
      timer = undefined;
      const t = performance.now();
      while (queue.length > 0 && queue[0]!.at <= t) {
        const item = queue.shift()!;
        forward(item.bytes);
        if (item.index !== undefined) {
          if (current) current.events++;
          item.pace?.onRelease?.(item.index, nowMs());
        }
      }
      if (queue.length > 0) timer = setTimeout(drain, Math.max(0, queue[0]!.at - performance.now()));
    };
    const enqueue = (bytes: Buffer, at: number, index?: number, pace?: Pace) => {
      queue.push({ at, bytes, index, pace });
      if (!timer) timer = setTimeout(drain, Math.max(0, at - performance.now()));
    };

    client.on('data', (buf: Buffer) => {
      const at = nowMs();
      const text = buf.toString('latin1');
      for (const m of text.matchAll(/^(GET|POST|OPTIONS|HEAD|PUT|DELETE) (\S+) HTTP\/1\.[01]\r?$/gm)) {
        requests.push({ line: `${m[1]} ${m[2]}`, at });
        if (m[1] === 'POST' && m[2]!.startsWith('/v1/chat/completions')) {
          current = { requestAt: at, events: 0, bytes: 0 };
          exchanges.push(current);
          paced = pace ? { pace, head: true, buffer: Buffer.alloc(0), index: 0 } : undefined;
        } else {
          current = undefined;
          paced = undefined;
        }
      }
      upstream.write(buf);
    });

    upstream.on('data', (buf: Buffer) => {
      if (!paced) {
        // Whatever a paced answer left in the queue goes first.
        if (queue.length > 0) enqueue(buf, performance.now());
        else forward(buf);
        return;
      }
      const p = paced;
      p.buffer = Buffer.concat([p.buffer, buf]);
      if (p.head) {
        const end = p.buffer.indexOf(CRLF2);
        if (end < 0) return;
        const head = p.buffer.subarray(0, end + 4);
        p.buffer = p.buffer.subarray(end + 4);
        p.head = false;
        enqueue(head, performance.now());
        // Not a streamed (chunked) answer: nothing to pace.
        if (!/transfer-encoding:\s*chunked/i.test(head.toString('latin1'))) {
          paced = undefined;
          if (p.buffer.length > 0) enqueue(p.buffer, performance.now());
          return;
        }
      }
      // Cut the body into HTTP chunks: `<hex size>\r\n<data>\r\n`, ending with a zero-size chunk.
      for (;;) {
        const line = p.buffer.indexOf('\r\n');
        if (line < 0) break;
        const size = parseInt(p.buffer.subarray(0, line).toString('latin1'), 16);
        const total = size === 0 ? line + 4 : line + 2 + size + 2;
        if (p.buffer.length < total) break;
        const chunk = p.buffer.subarray(0, total);
        p.buffer = p.buffer.subarray(total);
        p.t0 ??= performance.now();
        const { pace } = p;
        const gate = pace.gate;
        // The zero-size chunk ends the body: it leaves with the last event, and is not an event.
        const index = size === 0 ? undefined : p.index;
        const at = index ?? p.index - 1;
        if (gate && at >= gate.index && p.gateOpenedAt === undefined) {
          if (!p.held) {
            const heldChunks: { bytes: Buffer; index?: number }[] = (p.held = []);
            void gate.open.then(() => {
              const opened = (p.gateOpenedAt = performance.now());
              held -= heldChunks.length;
              for (const h of heldChunks.splice(0)) {
                enqueue(h.bytes, opened + pace.at(h.index ?? p.index - 1) - pace.at(gate.index), h.index, h.index === undefined ? undefined : pace);
              }
            });
          }
          p.held.push({ bytes: chunk, ...(index !== undefined && { index }) });
          held++;
        } else {
          const base = gate && at >= gate.index ? p.gateOpenedAt! - pace.at(gate.index) : p.t0;
          enqueue(chunk, base + pace.at(at), index, index === undefined ? undefined : pace);
        }
        if (size === 0) {
          paced = undefined;
          break;
        }
        p.index++;
      }
    });

    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => {
        sockets.delete(s);
        if (s === upstream && (queue.length > 0 || held > 0)) {
          // Let a paced answer finish leaving before the client learns the server is gone (the
          // mock closes an idle keep-alive connection after 5 s, while the proxy may still hold
          // part of the answer behind a gate).
          const finish = setInterval(() => {
            if ((queue.length > 0 || held > 0) && !client.destroyed) return;
            clearInterval(finish);
            client.end();
          }, 10);
          return;
        }
        clearTimeout(timer);
        (s === client ? upstream : client).end();
      });
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  const { port } = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address() as AddressInfo));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    requests,
    setPace(next) {
      pace = next;
    },
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
