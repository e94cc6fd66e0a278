// Bytes, bodies and headers for the mock server: nothing here knows a dialect.

import type { IncomingMessage, ServerResponse } from 'node:http';

export type ParseResult = { ok: true; value: unknown } | { ok: false };

export function parseJson(raw: string): ParseResult {
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

export function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}

export function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    const value = headerValue(v);
    if (value !== undefined) out[k.toLowerCase()] = value;
  }
  return out;
}

export function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

export type WriteHead = (status: number, headers: Record<string, string | number>) => void;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  head: WriteHead = (s, h) => res.writeHead(s, h),
  extraHeaders: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  head(status, { ...extraHeaders, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Writes text as bytes, optionally in fixed-size pieces that ignore every boundary. */
export class ByteWriter {
  private pending: Buffer = Buffer.alloc(0);

  constructor(
    private readonly res: ServerResponse,
    private readonly signal: AbortSignal,
    private readonly splitBytes: number | undefined,
  ) {}

  async send(text: string): Promise<void> {
    const bytes = Buffer.from(text, 'utf8');
    if (!this.splitBytes || this.splitBytes <= 0) return writeAll(this.res, bytes, this.signal);
    // The tail that does not fill a piece is held back so that pieces can straddle events.
    this.pending = Buffer.concat([this.pending, bytes]);
    while (this.pending.length >= this.splitBytes && !this.signal.aborted) {
      await this.piece(this.splitBytes);
    }
  }

  async flush(): Promise<void> {
    if (this.pending.length > 0 && !this.signal.aborted) await this.piece(this.pending.length);
  }

  private async piece(n: number): Promise<void> {
    const head = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    await writeAll(this.res, head, this.signal);
    // Yielding to the event loop lets each piece leave as its own TCP segment instead of
    // being read together with the next one.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export function writeAll(res: ServerResponse, bytes: Uint8Array, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted || res.destroyed) return resolve();
    // Node skips the write callback when the socket is already gone, so abort also resolves.
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    res.write(bytes, done);
  });
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Turns in `{role, content}` form, content as text whether it came as a string or as parts. */
export function normaliseMessages(raw: unknown[]): { role: string; content: string }[] {
  return raw.map((m) => {
    const msg = isObject(m) ? m : {};
    const content = msg.content;
    const text = typeof content === 'string'
      ? content
      : Array.isArray(content)
        ? content.map((p: unknown) => (isObject(p) && typeof p.text === 'string' ? p.text : '')).join('')
        : '';
    return { role: typeof msg.role === 'string' ? msg.role : '', content: text };
  });
}

export function approxTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** `Retry-After` in whole seconds, at least one. */
export function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}
