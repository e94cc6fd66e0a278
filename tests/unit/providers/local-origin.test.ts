// Local model servers: which base URLs are local, the declarativeNetRequest rule that rewrites
// the Origin of the extension's own requests to them, and telling an Origin rejection (Ollama's
// empty 403) from a refused key, against the mock server's `rejectExtensionOrigins`.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'wxt/browser';
import { createLlmClient, type LlmError } from '../../../lib/llm';
import {
  isLocalBaseUrl,
  isLoopbackHost,
  LOCAL_ORIGIN_RULE_ID,
  localOriginRule,
  localOriginRuleUpdate,
  looksLikeOriginRejection,
  PRESETS,
} from '../../../lib/providers';
import { startMockLlm, type MockLlm } from '../../support/mock-llm';

const EXTENSION_ID = 'abcdefghijklmnopabcdefghijklmnop';

describe('isLocalBaseUrl', () => {
  it.each([
    'http://localhost:11434/v1',
    'http://LOCALHOST:1234/v1',
    'http://ollama.localhost/v1',
    'http://127.0.0.1:11434/v1',
    'http://127.8.9.10/v1',
    'http://[::1]:11434/v1',
    'http://0.0.0.0:8080/v1',
    'http://gpu-box.local:11434/v1',
    'http://nas.lan/v1',
    'http://llm.home.arpa/v1',
    'http://gpu-box:11434/v1',
    'http://10.0.0.5:8000/v1',
    'http://172.16.0.1/v1',
    'http://172.31.255.255/v1',
    'http://192.168.1.20:11434/v1',
    'http://169.254.10.10/v1',
    'http://100.101.102.103:11434/v1',
    'http://[fd12:3456:789a::1]:11434/v1',
    'http://[fe80::1]/v1',
    'https://192.168.1.20/v1',
  ])('%s is local', (url) => {
    expect(isLocalBaseUrl(url)).toBe(true);
  });

  it.each([
    'https://api.openai.com/v1',
    'https://api.deepseek.com/v1',
    'http://8.8.8.8/v1',
    'http://172.32.0.1/v1',
    'http://172.15.0.1/v1',
    'http://192.169.1.1/v1',
    'http://11.0.0.1/v1',
    'http://[2001:db8::1]/v1',
    'http://localhost.evil.com/v1',
    'http://127.0.0.1.nip.io/v1',
    'ftp://localhost/v1',
    'not a url',
    '',
  ])('%s is not local', (url) => {
    expect(isLocalBaseUrl(url)).toBe(false);
  });

  it('agrees with the presets: local presets are local and need no key, the rest are neither', () => {
    for (const preset of PRESETS) {
      if (preset.id === 'custom' || preset.id === 'azure') continue;
      expect(isLocalBaseUrl(preset.baseUrl), preset.id).toBe(preset.local === true);
      if (preset.local) expect(preset.needsKey, preset.id).toBe(false);
    }
  });

  it('loopback is this machine only', () => {
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackHost('192.168.1.2')).toBe(false);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
  });
});

describe('localOriginRule', () => {
  it('sets Origin to a loopback server\'s own origin, for the extension\'s own XHR/fetch to that origin only', () => {
    expect(localOriginRule('http://localhost:11434/v1', EXTENSION_ID)).toEqual({
      id: LOCAL_ORIGIN_RULE_ID,
      priority: 1,
      action: { type: 'modifyHeaders', requestHeaders: [{ header: 'origin', operation: 'set', value: 'http://localhost:11434' }] },
      condition: { urlFilter: '|http://localhost:11434/', resourceTypes: ['xmlhttprequest'], initiatorDomains: [EXTENSION_ID] },
    });
  });

  it('removes Origin for a LAN server, whose own origin Ollama would not admit by default', () => {
    const rule = localOriginRule('http://192.168.1.20:11434/v1/', 'f1e2d3c4-uuid-of-this-install', 42);
    expect(rule).toEqual({
      id: 42,
      priority: 1,
      action: { type: 'modifyHeaders', requestHeaders: [{ header: 'origin', operation: 'remove' }] },
      condition: { urlFilter: '|http://192.168.1.20:11434/', resourceTypes: ['xmlhttprequest'], initiatorDomains: ['f1e2d3c4-uuid-of-this-install'] },
    });
  });

  it('keeps default ports implicit, IPv6 brackets and https', () => {
    expect(localOriginRule('http://ollama.local/v1', EXTENSION_ID)?.condition.urlFilter).toBe('|http://ollama.local/');
    expect(localOriginRule('https://127.0.0.1:443/v1', EXTENSION_ID)?.action.requestHeaders[0]).toEqual({ header: 'origin', operation: 'set', value: 'https://127.0.0.1' });
    expect(localOriginRule('http://[::1]:1234/v1', EXTENSION_ID)?.condition.urlFilter).toBe('|http://[::1]:1234/');
  });

  it('no rule for remote APIs or unusable URLs; without an extension host the rule matches any initiator', () => {
    expect(localOriginRule('https://api.openai.com/v1', EXTENSION_ID)).toBeUndefined();
    expect(localOriginRule('nonsense', EXTENSION_ID)).toBeUndefined();
    expect(localOriginRule('http://localhost:1234/v1', undefined)?.condition).not.toHaveProperty('initiatorDomains');
  });

  it('is a declarativeNetRequest rule as the browser types describe it', () => {
    const rule: Browser.declarativeNetRequest.Rule | undefined = localOriginRule('http://localhost:11434/v1', EXTENSION_ID);
    const update: Browser.declarativeNetRequest.UpdateRuleOptions = localOriginRuleUpdate('http://localhost:11434/v1', EXTENSION_ID);
    expect(rule).toBeDefined();
    expect(update.addRules).toHaveLength(1);
  });

  it('the update replaces our rule, or only removes it when the provider is remote', () => {
    expect(localOriginRuleUpdate('http://localhost:1234/v1', EXTENSION_ID)).toMatchObject({
      removeRuleIds: [LOCAL_ORIGIN_RULE_ID],
      addRules: [{ id: LOCAL_ORIGIN_RULE_ID }],
    });
    expect(localOriginRuleUpdate('https://api.groq.com/openai/v1', EXTENSION_ID)).toEqual({ removeRuleIds: [LOCAL_ORIGIN_RULE_ID], addRules: [] });
  });
});

describe('looksLikeOriginRejection', () => {
  it.each([
    [403, '', true],
    [403, '   ', true],
    [403, undefined, true],
    [403, '403 Forbidden', true],
    [403, 'Forbidden', true],
    [403, 'Origin not allowed', true],
    [403, 'CORS request rejected: chrome-extension://abc', true],
    [403, '{"error":"origin not allowed"}', true],
    [403, '{"error":{"message":"Country, region, or territory not supported","type":"request_forbidden"}}', false],
    [403, '{"type":"error","error":{"type":"permission_error","message":"Your API key does not have permission"}}', false],
    [403, 'Your API key is not allowed to use this model', false],
    [401, '', false],
    [404, '', false],
    [undefined, '', false],
  ])('%s %j → %s', (status, body, expected) => {
    expect(looksLikeOriginRejection(status, body)).toBe(expected);
  });
});

describe('a server that rejects extension Origins (the mock as Ollama)', () => {
  let mock: MockLlm;
  beforeAll(async () => {
    mock = await startMockLlm({ rejectExtensionOrigins: true });
  });
  afterEach(() => mock.reset());
  afterAll(() => mock.close());

  const post = (origin?: string) =>
    fetch(`${mock.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    });

  it('answers 403 with an empty body to chrome-extension:// and moz-extension:// origins, and records them', async () => {
    for (const origin of ['chrome-extension://abcdefghijklmnop', 'moz-extension://0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0']) {
      const res = await post(origin);
      expect(res.status).toBe(403);
      expect(await res.text()).toBe('');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
    const models = await fetch(`${mock.baseUrl}/models`, { headers: { origin: 'chrome-extension://abc' } });
    expect(models.status).toBe(403);
    expect(mock.completions().map((r) => r.headers.origin)).toEqual([
      'chrome-extension://abcdefghijklmnop',
      'moz-extension://0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
    ]);
    expect(mock.stats().status).toEqual({ 403: 2 });
  });

  it('answers what the Origin rewrite leaves: the server\'s own origin, or none', async () => {
    expect((await post(mock.url)).status).toBe(200);
    expect((await post()).status).toBe(200);
    expect((await post('https://example.com')).status).toBe(200);
  });

  it('through the client the rejection is auth/403 with nothing in detail, which the hint recognises', async () => {
    const client = createLlmClient({
      fetch: (url, init) => globalThis.fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), origin: 'chrome-extension://abc' } }),
      getProvider: () => ({ baseUrl: mock.baseUrl, apiKey: '', model: 'llama3.2' }),
      options: { maxAttempts: 1 },
    });
    const error = (await client.chat({ messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)) as LlmError;
    expect(error).toMatchObject({ kind: 'auth', status: 403 });
    expect(error.detail).toBeUndefined();
    expect(looksLikeOriginRejection(error.status, error.detail)).toBe(true);
  });
});
