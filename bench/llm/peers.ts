// The clients the LLM benchmark compares, behind one tiny interface: Precis (lib/llm), the
// official `openai` SDK, a naive retry loop around fetch, and a bare fetch (no retries at all).
// All of them send the same request body, so the server does the same work for each.

import OpenAI from 'openai';
import { createLlmClient, type ClientOptions, type LlmClient, type LlmClientDeps } from '../../lib/llm';

export const MODEL = 'mock-model';
export const API_KEY = 'sk-bench';

export interface PeerCall {
  signal?: AbortSignal;
  onDelta?: (text: string) => void;
}

export interface PeerClient {
  /** Streams one answer to a single user message; resolves with the whole text. */
  chat(content: string, call?: PeerCall): Promise<string>;
}

export interface Peer {
  name: string;
  create(baseUrl: string): PeerClient;
}

// ── Precis ───────────────────────────────────────────────────────────────────────────────────

/** Extra dependencies for the client under test, e.g. a token counter that matches the server's. */
export type PrecisDeps = Pick<LlmClientDeps, 'countTokens'>;

export function createPrecis(baseUrl: string, options: Partial<ClientOptions> = {}, fetchImpl: typeof fetch = globalThis.fetch, deps: PrecisDeps = {}): LlmClient {
  return createLlmClient({
    fetch: fetchImpl,
    getProvider: () => ({ baseUrl, apiKey: API_KEY, model: MODEL }),
    options,
    ...deps,
  });
}

export function precisPeer(name: string, options: Partial<ClientOptions> = {}, fetchImpl?: typeof fetch, deps?: PrecisDeps): Peer {
  return {
    name,
    create(baseUrl) {
      const client = createPrecis(baseUrl, options, fetchImpl, deps);
      return {
        async chat(content, call = {}) {
          const opts: Parameters<LlmClient['chat']>[1] = {};
          if (call.signal) opts.signal = call.signal;
          if (call.onDelta) opts.onDelta = call.onDelta;
          const result = await client.chat({ messages: [{ role: 'user', content }] }, opts);
          return result.text;
        },
      };
    },
  };
}

/**
 * A fetch that hides the `x-ratelimit-*` headers, for servers that only say `retry-after` on a
 * 429 (many gateways and local servers): Precis then has only its AIMD limit and the pause.
 */
export const fetchWithoutRateLimitHeaders: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const headers = new Headers(response.headers);
  for (const name of [...headers.keys()]) if (name.startsWith('x-ratelimit-')) headers.delete(name);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
};

// ── The official SDK ─────────────────────────────────────────────────────────────────────────

export function sdkPeer(name: string, maxRetries?: number): Peer {
  return {
    name,
    create(baseUrl) {
      const client = new OpenAI(maxRetries === undefined ? { baseURL: baseUrl, apiKey: API_KEY } : { baseURL: baseUrl, apiKey: API_KEY, maxRetries });
      return {
        async chat(content, call = {}) {
          const stream = await client.chat.completions.create(
            { model: MODEL, messages: [{ role: 'user', content }], stream: true, stream_options: { include_usage: true } },
            call.signal ? { signal: call.signal } : {},
          );
          let text = '';
          for await (const chunk of stream) {
            const piece = chunk.choices[0]?.delta?.content;
            if (piece) {
              text += piece;
              call.onDelta?.(piece);
            }
          }
          return text;
        },
      };
    },
  };
}

// ── Bare fetch and the naive retry loop ──────────────────────────────────────────────────────

export class NaiveAbortError extends Error {
  constructor() {
    super('aborted');
  }
}

export class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/** What a hand-written client does: one fetch, split the SSE on blank lines, parse `data:` lines. */
export async function fetchChat(baseUrl: string, content: string, call: PeerCall = {}): Promise<string> {
  const init: RequestInit = {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${API_KEY}` },
    body: JSON.stringify({
      model: MODEL,
      messages: [{ role: 'user', content }],
      stream: true,
      stream_options: { include_usage: true },
    }),
  };
  if (call.signal) init.signal = call.signal;
  const response = await fetch(`${baseUrl}/chat/completions`, init);
  if (!response.ok || response.body === null) {
    await response.text().catch(() => undefined);
    throw new HttpStatusError(response.status);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const line of event.split('\n')) {
        if (!line.startsWith('data:')) continue;
        const data = line.slice(5).trim();
        if (data === '[DONE]') {
          await reader.cancel().catch(() => undefined);
          return text;
        }
        const piece = (JSON.parse(data) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content;
        if (piece) {
          text += piece;
          call.onDelta?.(piece);
        }
      }
    }
  }
  throw new Error('stream ended before [DONE]');
}

export const bareFetchPeer: Peer = {
  name: 'bare fetch',
  create: (baseUrl) => ({ chat: (content, call) => fetchChat(baseUrl, content, call) }),
};

/** Reference only: bare fetch, at most `n` at a time, no retries (what a concurrency cap alone allows). */
export function cappedFetchPeer(n: number): Peer {
  return retryLoopPeer(`bare fetch, ${n} at a time (reference, no retries)`, 1, n);
}

export const NAIVE = { maxAttempts: 10, baseMs: 500, capMs: 20_000 } as const;

/**
 * A retry loop around fetch: every request retries on its own (429, 5xx, network errors) with
 * full-jitter backoff, no shared state between requests, server hints (`retry-after`) ignored, and
 * a plain `setTimeout` sleep that the caller's abort does not cut short. `concurrency` bounds the
 * requests in flight (each attempt holds a slot), as a textbook client with a worker pool does.
 */
export function retryLoopPeer(name: string, maxAttempts: number, concurrency = Number.POSITIVE_INFINITY): Peer {
  return {
    name,
    create(baseUrl) {
      let active = 0;
      const waiting: (() => void)[] = [];
      const attempt = async (content: string, call: PeerCall): Promise<string> => {
        if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
        active += 1;
        try {
          return await fetchChat(baseUrl, content, call);
        } finally {
          active -= 1;
          waiting.shift()?.();
        }
      };
      return {
        async chat(content, call = {}) {
          for (let n = 1; ; n += 1) {
            if (call.signal?.aborted) throw new NaiveAbortError();
            try {
              return await attempt(content, call);
            } catch (error) {
              if (call.signal?.aborted) throw error;
              const retryable = !(error instanceof HttpStatusError) || error.status === 429 || error.status >= 500;
              if (!retryable || n >= maxAttempts) throw error;
            }
            const bound = Math.min(NAIVE.capMs, NAIVE.baseMs * 2 ** (n - 1));
            await new Promise((resolve) => setTimeout(resolve, Math.random() * bound));
          }
        },
      };
    },
  };
}

/** The naive loop: no bound on requests in flight, ten attempts each. */
export const naivePeer: Peer = retryLoopPeer(`naive fetch loop (${NAIVE.maxAttempts} attempts)`, NAIVE.maxAttempts);

/** A textbook full-jitter loop: five tries each, fifty requests at once. */
export const fullJitterPeer: Peer = retryLoopPeer('full-jitter loop (5 tries, 50 at once)', 5, 50);
