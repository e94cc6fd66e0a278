// Provider settings + a chat request → the HTTP request the provider expects: URL, headers and
// body for each wire protocol (OpenAI-compatible, Azure OpenAI, Anthropic Messages).

import { anthropicBody, ANTHROPIC_VERSION } from './anthropic';
import { errors } from './errors';
import type { ChatRequest, ProviderConfig, ProviderKind } from './types';

/** The GA data-plane version used when an Azure deployment URL comes without one. */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

export function providerKind(provider: ProviderConfig): ProviderKind {
  return provider.kind ?? 'openai';
}

/**
 * `${baseUrl}/${path}`, tolerating a trailing slash and keeping any query string the base URL
 * carries (an Azure URL pasted with `?api-version=…`); rejects what fetch could not use.
 */
export function endpoint(provider: ProviderConfig, path: string): string {
  let url: URL;
  try {
    url = new URL(provider.baseUrl.trim());
  } catch {
    throw errors.invalidProvider('the base URL is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw errors.invalidProvider('the base URL must start with http:// or https://');
  }
  url.hash = '';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path}`;
  return url.toString();
}

/** `…/openai/deployments/{name}`: the model is in the URL and `api-version` is required. */
export function isAzureDeploymentUrl(baseUrl: string): boolean {
  try {
    return /\/openai\/deployments\/[^/]+\/?$/i.test(new URL(baseUrl.trim()).pathname);
  } catch {
    return false;
  }
}

function withApiVersion(url: string, provider: ProviderConfig): string {
  const explicit = provider.apiVersion?.trim();
  const parsed = new URL(url);
  if (explicit) parsed.searchParams.set('api-version', explicit);
  else if (!parsed.searchParams.has('api-version') && isAzureDeploymentUrl(provider.baseUrl)) {
    parsed.searchParams.set('api-version', AZURE_DEFAULT_API_VERSION);
  }
  return parsed.toString();
}

/** Where chat requests go. */
export function chatEndpoint(provider: ProviderConfig): string {
  switch (providerKind(provider)) {
    case 'anthropic':
      return endpoint(provider, 'messages');
    case 'azure':
      return withApiVersion(endpoint(provider, 'chat/completions'), provider);
    default:
      return endpoint(provider, 'chat/completions');
  }
}

/**
 * Where the model list comes from. Anthropic pages its list 20 at a time unless asked for more.
 * An Azure deployment has no model list of its own: the resource's `GET /openai/models` checks
 * the key and the resource, and the answer is the deployment itself.
 */
export function modelsEndpoint(provider: ProviderConfig): string {
  switch (providerKind(provider)) {
    case 'anthropic': {
      const url = new URL(endpoint(provider, 'models'));
      url.searchParams.set('limit', '1000');
      return url.toString();
    }
    case 'azure': {
      const base = new URL(endpoint(provider, 'models'));
      const deployment = /^(.*)\/openai\/deployments\/[^/]+\/models$/i.exec(base.pathname);
      if (deployment) base.pathname = `${deployment[1]}/openai/models`;
      return withApiVersion(base.toString(), provider);
    }
    default:
      return endpoint(provider, 'models');
  }
}

// RFC 9110 token characters; anything else makes fetch throw before the request leaves.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Header values may not carry line breaks or NUL (header injection), nor anything beyond Latin-1.
// eslint-disable-next-line no-control-regex
const BAD_HEADER_VALUE = /[\r\n\0]|[^\x00-\xff]/;

export function requestHeaders(
  provider: ProviderConfig,
  shape: { stream: boolean; hasBody: boolean },
): Record<string, string> {
  const kind = providerKind(provider);
  const headers: Record<string, string> = { accept: shape.stream ? 'text/event-stream' : 'application/json' };
  if (kind === 'anthropic') {
    headers['anthropic-version'] = ANTHROPIC_VERSION;
    // Anthropic refuses requests that carry an Origin (the worker's fetch does) unless told that
    // the key is meant to be used from a browser: here it is the user's own key, kept in the worker.
    headers['anthropic-dangerous-direct-browser-access'] = 'true';
  }
  // Custom headers may refine the defaults (another anthropic-version, an anthropic-beta…) but not
  // the credentials: the key's own header is written last.
  for (const [rawName, value] of Object.entries(provider.headers ?? {})) {
    const name = rawName.trim().toLowerCase();
    if (name === '') continue;
    if (!HEADER_NAME.test(name)) throw errors.invalidProvider(`the header name "${rawName.slice(0, 40)}" is not valid`);
    if (typeof value !== 'string' || BAD_HEADER_VALUE.test(value)) {
      throw errors.invalidProvider(`the value of the header "${name}" is not valid`);
    }
    headers[name] = value.trim();
  }
  if (shape.hasBody) headers['content-type'] = 'application/json';
  // Local servers (Ollama, llama.cpp) need no key; an empty bearer token confuses some of them.
  const key = provider.apiKey.trim();
  if (key !== '') {
    if (kind === 'anthropic') headers['x-api-key'] = key;
    else if (kind === 'azure') headers['api-key'] = key;
    else headers.authorization = `Bearer ${key}`;
  }
  return headers;
}

const SECRET_HEADER = /auth|key|token|secret|cookie|session|password/i;

/** Values to scrub from anything a server says back: the key, and custom headers that look like credentials. */
export function providerSecrets(provider: ProviderConfig): string[] {
  const secrets = [provider.apiKey.trim()];
  for (const [name, value] of Object.entries(provider.headers ?? {})) {
    if (typeof value !== 'string' || !SECRET_HEADER.test(name)) continue;
    const token = value.trim().replace(/^(bearer|basic|token)\s+/i, '');
    if (token !== '') secrets.push(token);
  }
  return secrets.filter((s) => s !== '');
}

export interface ChatBodyOptions {
  stream: boolean;
  includeUsage: boolean;
}

export function chatBody(provider: ProviderConfig, req: ChatRequest, opts: ChatBodyOptions): Record<string, unknown> {
  const kind = providerKind(provider);
  if (kind === 'anthropic') return anthropicBody(provider, req, opts);
  const body: Record<string, unknown> = {};
  // An Azure deployment URL names the model; the body's `model` would be ignored at best.
  if (!(kind === 'azure' && isAzureDeploymentUrl(provider.baseUrl))) body.model = req.model ?? provider.model;
  body.messages = req.messages.map((m) => ({ role: m.role, content: m.content }));
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.max_tokens !== undefined) body.max_tokens = req.max_tokens;
  body.stream = opts.stream;
  if (opts.stream && opts.includeUsage && provider.streamUsage !== false) body.stream_options = { include_usage: true };
  return body;
}
