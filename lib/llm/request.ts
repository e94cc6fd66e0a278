// Provider settings + a chat request → the HTTP request an OpenAI-compatible server expects.

import { errors } from './errors';
import type { ChatRequest, ProviderConfig } from './types';

/** `${baseUrl}/${path}`, tolerating a trailing slash; rejects what fetch could not use. */
export function endpoint(provider: ProviderConfig, path: string): string {
  const base = provider.baseUrl.trim().replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(`${base}/${path}`);
  } catch {
    throw errors.invalidProvider('the base URL is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw errors.invalidProvider('the base URL must start with http:// or https://');
  }
  return url.toString();
}

export function requestHeaders(
  provider: ProviderConfig,
  shape: { stream: boolean; hasBody: boolean },
): Record<string, string> {
  const headers: Record<string, string> = { accept: shape.stream ? 'text/event-stream' : 'application/json' };
  if (shape.hasBody) headers['content-type'] = 'application/json';
  for (const [name, value] of Object.entries(provider.headers ?? {})) headers[name.toLowerCase()] = value;
  // Local servers (Ollama, llama.cpp) need no key; an empty bearer token confuses some of them.
  if (provider.apiKey.trim() !== '') headers.authorization = `Bearer ${provider.apiKey.trim()}`;
  return headers;
}

export interface ChatBodyOptions {
  stream: boolean;
  includeUsage: boolean;
}

export function chatBody(provider: ProviderConfig, req: ChatRequest, opts: ChatBodyOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: req.model ?? provider.model,
    messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
  };
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.max_tokens !== undefined) body.max_tokens = req.max_tokens;
  body.stream = opts.stream;
  if (opts.stream && opts.includeUsage) body.stream_options = { include_usage: true };
  return body;
}
