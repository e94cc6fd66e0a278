// Provider settings + a request → the HTTP request the provider's dialect expects: URL, headers,
// body, and the values to scrub from whatever the server says back.

import type { BodyReader } from './attempt';
import { dialectFor, type ChatBodyOptions, type Dialect } from './dialects';
import type { ChatRequest, ProviderConfig } from './types';

export interface PreparedRequest {
  dialect: Dialect;
  url: string;
  headers: Record<string, string>;
  secrets: string[];
}

export interface PreparedChat extends PreparedRequest {
  body: string;
}

export interface PreparedModelList extends PreparedRequest {
  read: BodyReader<string[]>;
}

/** Where chat requests go. */
export function chatEndpoint(provider: ProviderConfig): string {
  return dialectFor(provider).chatEndpoint(provider);
}

/** Where the model list comes from. */
export function modelsEndpoint(provider: ProviderConfig): string {
  return dialectFor(provider).modelsEndpoint(provider);
}

const SECRET_HEADER = /auth|key|token|secret|cookie|session|password/i;

/** Values to scrub from anything a server says back: the key, and custom headers that look like credentials. */
function providerSecrets(provider: ProviderConfig): string[] {
  const secrets = [provider.apiKey.trim()];
  for (const [name, value] of Object.entries(provider.headers ?? {})) {
    if (typeof value !== 'string' || !SECRET_HEADER.test(name)) continue;
    const token = value.trim().replace(/^(bearer|basic|token)\s+/i, '');
    if (token !== '') secrets.push(token);
  }
  return secrets.filter((s) => s !== '');
}

export function chatRequest(provider: ProviderConfig, req: ChatRequest, opts: ChatBodyOptions): PreparedChat {
  const dialect = dialectFor(provider);
  return {
    dialect,
    url: dialect.chatEndpoint(provider),
    headers: dialect.requestHeaders(provider, { stream: opts.stream, hasBody: true }),
    body: JSON.stringify(dialect.chatBody(provider, req, opts)),
    secrets: providerSecrets(provider),
  };
}

export function modelListRequest(provider: ProviderConfig): PreparedModelList {
  const dialect = dialectFor(provider);
  return {
    dialect,
    url: dialect.modelsEndpoint(provider),
    headers: dialect.requestHeaders(provider, { stream: false, hasBody: false }),
    secrets: providerSecrets(provider),
    read: dialect.modelsReader(provider),
  };
}
