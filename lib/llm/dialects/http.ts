// What every dialect builds its requests from: the endpoint join and the header rules.

import { errors } from '../errors';
import type { ProviderConfig } from '../types';
import type { RequestShape } from './types';

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

// RFC 9110 token characters; anything else makes fetch throw before the request leaves.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Header values may not carry line breaks or NUL (header injection), nor anything beyond Latin-1.
// eslint-disable-next-line no-control-regex
const BAD_HEADER_VALUE = /[\r\n\0]|[^\x00-\xff]/;

/**
 * Accept, then the protocol's own headers, then the provider's custom headers, then the key.
 * Custom headers may refine the defaults (another anthropic-version, an anthropic-beta…) but not
 * the credentials: the key's own header is written last.
 */
export function composeHeaders(
  provider: ProviderConfig,
  shape: RequestShape,
  protocol: Readonly<Record<string, string>>,
  keyHeader: (key: string) => readonly [name: string, value: string],
): Record<string, string> {
  const headers: Record<string, string> = { accept: shape.stream ? 'text/event-stream' : 'application/json', ...protocol };
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
    const [name, value] = keyHeader(key);
    headers[name] = value;
  }
  return headers;
}
