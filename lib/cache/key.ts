// The cache key: SHA-256 over everything that decides the answer, and nothing that does not.
import type { ChatRequest } from '../llm/types';
import { canonicalJson } from './canonical';

export interface RequestKeyInput {
  provider: { baseUrl: string; model: string };
  request: ChatRequest;
  /** Output language, when the caller asks for one outside the messages. */
  language?: string;
}

/** Bumped whenever the encoding below changes, so old entries can never answer new requests. */
const KEY_FORMAT = 'precis.cache.v1';

/** How the answer is delivered, not what it says: a streamed and a plain answer are the same answer. */
const transportOnly = new Set(['stream', 'stream_options']);

export async function requestKey(input: RequestKeyInput): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalJson(keyMaterial(input)));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return toHex(new Uint8Array(digest));
}

/**
 * The value that is hashed. The whole request goes in (every message, every sampling parameter,
 * including ones added to ChatRequest later), so two conversations that end alike never collide.
 */
export function keyMaterial(input: RequestKeyInput): Record<string, unknown> {
  const sampling: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input.request)) {
    if (name === 'model' || transportOnly.has(name)) continue;
    sampling[name] = value;
  }
  return {
    format: KEY_FORMAT,
    baseUrl: normaliseBaseUrl(input.provider.baseUrl),
    // The model the server will actually run: an explicit override equal to the default is the same request.
    model: input.request.model ?? input.provider.model,
    language: input.language ?? null,
    request: sampling,
  };
}

/** `HTTPS://Api.example.com/v1/` and `https://api.example.com/v1` are one server. */
function normaliseBaseUrl(raw: string): string {
  const trimmed = raw.trim();
  try {
    const url = new URL(trimmed);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}${url.search}`;
  } catch {
    return trimmed.replace(/\/+$/, '');
  }
}

const hexDigits = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += hexDigits[byte];
  return out;
}

const hashPattern = /^[0-9a-f]{64}$/;

export function isRequestHash(value: unknown): value is string {
  return typeof value === 'string' && hashPattern.test(value);
}
