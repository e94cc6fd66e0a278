// The preset list's invariants and settings → ProviderConfig.
import { describe, expect, it } from 'vitest';
import {
  azureDeploymentUrl,
  parseAzureUrl,
  presetById,
  presetForBaseUrl,
  PRESETS,
  providerProblems,
  resolveProvider,
} from '../../../lib/providers';
import { chatEndpoint, modelsEndpoint } from '../../../lib/llm/request';

describe('the preset list', () => {
  it('has unique ids and the issue\'s providers, each with a usable shape', () => {
    const ids = PRESETS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining(['openai', 'azure', 'anthropic', 'deepseek', 'moonshot', 'qwen', 'volcengine', 'openrouter', 'groq', 'mistral', 'ollama', 'lmstudio', 'custom']),
    );
    for (const preset of PRESETS) {
      expect(preset.name, preset.id).not.toBe('');
      expect(preset.notes, preset.id).not.toBe('');
      if (preset.id === 'custom' || preset.id === 'azure') continue;
      const url = new URL(preset.baseUrl);
      // Remote APIs only over https; local servers speak plain http.
      expect(url.protocol, preset.id).toBe(preset.local ? 'http:' : 'https:');
      expect(preset.baseUrl.endsWith('/'), preset.id).toBe(false);
      for (const alt of preset.alternateBaseUrls ?? []) expect(new URL(alt.baseUrl).protocol).toBe('https:');
      if (preset.defaultModel !== '' && preset.suggestedModels) expect(preset.suggestedModels, preset.id).toContain(preset.defaultModel);
    }
  });

  it('knows the official base URLs', () => {
    const base = (id: string) => presetById(id)?.baseUrl;
    expect(base('openai')).toBe('https://api.openai.com/v1');
    expect(base('deepseek')).toBe('https://api.deepseek.com/v1');
    expect(base('moonshot')).toBe('https://api.moonshot.cn/v1');
    expect(base('qwen')).toBe('https://dashscope.aliyuncs.com/compatible-mode/v1');
    expect(base('volcengine')).toBe('https://ark.cn-beijing.volces.com/api/v3');
    expect(base('openrouter')).toBe('https://openrouter.ai/api/v1');
    expect(base('groq')).toBe('https://api.groq.com/openai/v1');
    expect(base('mistral')).toBe('https://api.mistral.ai/v1');
    expect(base('ollama')).toBe('http://localhost:11434/v1');
    expect(base('lmstudio')).toBe('http://localhost:1234/v1');
    expect(base('anthropic')).toBe('https://api.anthropic.com/v1');
    expect(presetById('azure')).toMatchObject({ kind: 'azure', baseUrl: 'https://{resource}.openai.azure.com/openai/deployments/{deployment}', apiVersion: '2024-10-21' });
  });

  it('recognises a saved base URL as its preset, trailing slash, case and alternates included', () => {
    expect(presetForBaseUrl('https://api.openai.com/v1/')?.id).toBe('openai');
    expect(presetForBaseUrl('HTTPS://API.MOONSHOT.AI/v1')?.id).toBe('moonshot');
    expect(presetForBaseUrl('https://dashscope-intl.aliyuncs.com/compatible-mode/v1')?.id).toBe('qwen');
    expect(presetForBaseUrl('https://gateway.example/v1')).toBeUndefined();
    expect(presetForBaseUrl('')).toBeUndefined();
  });
});

describe('resolveProvider', () => {
  it('fills the preset\'s base URL and model, trims the key, and marks the kind', () => {
    expect(resolveProvider({ presetId: 'deepseek', apiKey: '  sk-abc  ' })).toEqual({
      kind: 'openai',
      baseUrl: 'https://api.deepseek.com/v1',
      apiKey: 'sk-abc',
      model: 'deepseek-chat',
    });
    expect(resolveProvider({ presetId: 'anthropic', apiKey: 'k' })).toMatchObject({ kind: 'anthropic', model: 'claude-sonnet-4-5' });
  });

  it('takes the user\'s base URL and model over the preset\'s, without a trailing slash', () => {
    expect(resolveProvider({ presetId: 'moonshot', baseUrl: 'https://api.moonshot.ai/v1/', model: ' moonshot-v1-32k ' })).toMatchObject({
      baseUrl: 'https://api.moonshot.ai/v1',
      model: 'moonshot-v1-32k',
    });
  });

  it('carries quirks: Mistral gets no stream_options', () => {
    expect(resolveProvider({ presetId: 'mistral' }).streamUsage).toBe(false);
    expect(resolveProvider({ presetId: 'openai' })).not.toHaveProperty('streamUsage');
  });

  it('merges headers: preset first, the user\'s win case-insensitively; {appUrl} is filled or the header dropped', () => {
    expect(resolveProvider({ presetId: 'openrouter', headers: { 'x-title': 'Mine', 'X-Extra': '1' } }, { appUrl: 'https://a.example' }).headers).toEqual({
      'HTTP-Referer': 'https://a.example',
      'x-title': 'Mine',
      'X-Extra': '1',
    });
    expect(resolveProvider({ presetId: 'openrouter' }).headers).toEqual({ 'X-Title': 'Precis' });
    expect(resolveProvider({ presetId: 'openai', headers: { ' ': 'x' } })).not.toHaveProperty('headers');
  });

  it('an unknown preset id is a custom endpoint; only custom may choose its kind', () => {
    expect(resolveProvider({ presetId: 'gone-provider', baseUrl: 'https://gw.example/v1', model: 'm' })).toMatchObject({ kind: 'openai', baseUrl: 'https://gw.example/v1' });
    expect(resolveProvider({ presetId: 'custom', kind: 'anthropic', baseUrl: 'https://gw.example/v1', model: 'm' }).kind).toBe('anthropic');
    expect(resolveProvider({ presetId: 'groq', kind: 'anthropic' }).kind).toBe('openai');
  });

  it('Azure: the deployment URL from a resource name, host or endpoint URL; the deployment is the model', () => {
    const config = resolveProvider({ presetId: 'azure', apiKey: 'k', model: 'ignored', azure: { resource: 'contoso', deployment: 'gpt-4o' } });
    expect(config).toEqual({
      kind: 'azure',
      baseUrl: 'https://contoso.openai.azure.com/openai/deployments/gpt-4o',
      apiKey: 'k',
      model: 'gpt-4o',
      apiVersion: '2024-10-21',
    });
    expect(chatEndpoint(config)).toBe('https://contoso.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21');
    expect(modelsEndpoint(config)).toBe('https://contoso.openai.azure.com/openai/models?api-version=2024-10-21');

    expect(azureDeploymentUrl('contoso.cognitiveservices.azure.com', 'd')).toBe('https://contoso.cognitiveservices.azure.com/openai/deployments/d');
    expect(azureDeploymentUrl('https://contoso.openai.azure.com/', 'my dep')).toBe('https://contoso.openai.azure.com/openai/deployments/my%20dep');
    expect(azureDeploymentUrl('https://gw.corp.example/azure/openai/deployments/old/chat/completions', 'new')).toBe(
      'https://gw.corp.example/azure/openai/deployments/new',
    );
  });

  it('Azure: a pasted target URL gives the deployment and api-version; a /openai/v1 URL keeps the model in the body', () => {
    const pasted = resolveProvider({
      presetId: 'azure',
      baseUrl: 'https://contoso.openai.azure.com/openai/deployments/gpt-4o-mini/chat/completions?api-version=2025-01-01-preview',
    });
    expect(pasted).toMatchObject({ baseUrl: 'https://contoso.openai.azure.com/openai/deployments/gpt-4o-mini', model: 'gpt-4o-mini', apiVersion: '2025-01-01-preview' });
    const v1 = resolveProvider({ presetId: 'azure', baseUrl: 'https://contoso.openai.azure.com/openai/v1/', model: 'gpt-4o' });
    expect(v1).toMatchObject({ baseUrl: 'https://contoso.openai.azure.com/openai/v1', model: 'gpt-4o' });
    expect(v1).not.toHaveProperty('apiVersion');
    expect(chatEndpoint(v1)).toBe('https://contoso.openai.azure.com/openai/v1/chat/completions');
    expect(parseAzureUrl('https://contoso.openai.azure.com')).toEqual({ endpoint: 'https://contoso.openai.azure.com' });
    expect(parseAzureUrl('nope')).toBeUndefined();
  });

  it('Anthropic: max_tokens from the settings', () => {
    expect(resolveProvider({ presetId: 'anthropic', maxTokens: 8192 }).maxTokens).toBe(8192);
    expect(resolveProvider({ presetId: 'openai', maxTokens: 8192 })).not.toHaveProperty('maxTokens');
  });
});

describe('providerProblems', () => {
  it('is empty for working settings', () => {
    expect(providerProblems({ presetId: 'openai', apiKey: 'sk' })).toEqual([]);
    expect(providerProblems({ presetId: 'ollama' })).toEqual([]);
    expect(providerProblems({ presetId: 'azure', apiKey: 'k', azure: { resource: 'r', deployment: 'd' } })).toEqual([]);
  });

  it('names what is missing or wrong', () => {
    expect(providerProblems({ presetId: 'openai' })).toEqual(['key_missing']);
    expect(providerProblems({ presetId: 'lmstudio' })).toEqual(['model_missing']);
    expect(providerProblems({ presetId: 'custom' })).toEqual(['base_url_missing', 'model_missing']);
    expect(providerProblems({ presetId: 'custom', baseUrl: 'ftp://x', model: 'm' })).toEqual(['base_url_invalid']);
    expect(providerProblems({ presetId: 'azure', apiKey: 'k', azure: { resource: '', deployment: '' } })).toEqual([
      'azure_resource_missing',
      'azure_deployment_missing',
    ]);
    expect(providerProblems({ presetId: 'custom', baseUrl: 'http://x/v1', model: 'm', headers: { 'Bad Name': 'v', ok: 'a\nb' } })).toEqual(['header_invalid']);
  });
});
