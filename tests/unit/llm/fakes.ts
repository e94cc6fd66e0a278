// Small stand-ins for an OpenAI-compatible server, for unit tests that need exact control over
// bytes and timing. Integration tests use tests/support/mock-llm.ts instead.

const encoder = new TextEncoder();

export function chunk(content: string, finish: string | null = null): string {
  return `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;
}

export function sseBody(pieces: string[], opts: { finish?: string; usage?: boolean; done?: boolean } = {}): string {
  let out = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { role: 'assistant' }, finish_reason: null }] })}\n\n`;
  for (const piece of pieces) out += chunk(piece);
  if (opts.finish !== undefined) {
    out += `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: opts.finish }] })}\n\n`;
  }
  if (opts.usage) out += `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 3 } })}\n\n`;
  if (opts.done !== false) out += 'data: [DONE]\n\n';
  return out;
}

/** A body whose chunks the test pushes by hand; `cancelled` resolves when the client cancels it. */
export function controlledStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let markCancelled!: (reason: unknown) => void;
  const cancelled = new Promise<unknown>((resolve) => (markCancelled = resolve));
  let isCancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel(reason) {
      isCancelled = true;
      markCancelled(reason);
    },
  });
  return {
    stream,
    cancelled,
    get isCancelled() {
      return isCancelled;
    },
    /** Ignored once the client has cancelled, as a server's writes would be. */
    push(data: string | Uint8Array) {
      if (isCancelled) return;
      controller.enqueue(typeof data === 'string' ? encoder.encode(data) : data);
    },
    close() {
      controller.close();
    },
    error(e: unknown) {
      controller.error(e);
    },
  };
}

export function bytesStream(parts: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const queue = parts.map((p) => (typeof p === 'string' ? encoder.encode(p) : p));
  return new ReadableStream<Uint8Array>({
    pull(c) {
      const next = queue.shift();
      if (next === undefined) c.close();
      else c.enqueue(next);
    },
  });
}

/** Splits a string's UTF-8 bytes into chunks of `size` bytes (cutting through characters). */
export function splitBytes(text: string, size: number): Uint8Array[] {
  const bytes = encoder.encode(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size));
  return out;
}

export function sseResponse(body: string | (string | Uint8Array)[] | ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Response {
  const stream = body instanceof ReadableStream ? body : bytesStream(typeof body === 'string' ? [body] : body);
  return new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream', ...headers } });
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function completionJson(text: string, finish = 'stop') {
  return {
    id: 'x',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finish }],
    usage: { prompt_tokens: 5, completion_tokens: 2 },
  };
}

export interface RecordedCall {
  url: string;
  init: RequestInit;
  body: Record<string, unknown> | undefined;
  headers: Record<string, string>;
}

type Handler = (call: RecordedCall, index: number) => Response | Promise<Response>;

/**
 * A fetch that answers from a script of handlers (the last one repeats) and records every call.
 * Like real fetch, it rejects with the signal's reason when aborted before the response.
 */
export function scriptedFetch(...handlers: Handler[]) {
  const calls: RecordedCall[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const call: RecordedCall = {
      url: String(input),
      init,
      headers,
      body: typeof init.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : undefined,
    };
    const index = calls.length;
    calls.push(call);
    const signal = init.signal;
    if (signal?.aborted) throw signal.reason;
    const handler = handlers[Math.min(index, handlers.length - 1)];
    if (!handler) throw new Error('no handler');
    const pending = Promise.resolve(handler(call, index));
    if (!signal) return pending;
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      pending.then(
        (r) => {
          signal.removeEventListener('abort', onAbort);
          resolve(r);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }) as typeof fetch;
  return { fetch: fetchFn, calls };
}

/** A promise the test resolves later: for responses that arrive when the test says so. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets pending promise callbacks run (no timers involved). */
export async function flush(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await Promise.resolve();
}
