// Stored provider settings → the ProviderConfig the LLM client takes. Pure: the background calls
// it from its getProvider() with the settings and the unlocked key.

import type { ProviderConfig, ProviderKind } from '../llm/types';
import { AZURE_API_VERSION, presetById, type PresetId, type ProviderPreset } from './presets';

export interface AzureSettings {
  /** The resource name (`my-resource`), its host, or its endpoint URL as the portal shows it. */
  resource: string;
  deployment: string;
  apiVersion?: string;
}

/** What the Options page stores about the provider (the key is kept apart, encrypted). */
export interface ProviderSettings {
  presetId: PresetId | string;
  /** Overrides the preset's base URL (another region, a gateway); empty: the preset's. */
  baseUrl?: string;
  /** Empty: the preset's default model. Ignored for Azure, where the deployment is the model. */
  model?: string;
  apiKey?: string;
  /** The user's extra headers; they win over the preset's fixed ones (never over the key's own header). */
  headers?: Record<string, string>;
  azure?: AzureSettings;
  /** Only for the custom preset: an Anthropic-compatible gateway, say. Default `openai`. */
  kind?: ProviderKind;
  /** Anthropic: `max_tokens` for requests that set none. */
  maxTokens?: number;
}

export interface ResolveContext {
  /** Fills `{appUrl}` in preset headers (OpenRouter's HTTP-Referer); without it those headers are left out. */
  appUrl?: string;
}

const CUSTOM: ProviderPreset = {
  id: 'custom',
  name: 'Custom',
  kind: 'openai',
  baseUrl: '',
  defaultModel: '',
  needsKey: false,
  notes: '',
};

function trimSlashes(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** A pasted Azure URL, split: the resource endpoint, and the deployment and api-version if it names them. */
export function parseAzureUrl(text: string): { endpoint: string; deployment?: string; apiVersion?: string } | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const match = /^(.*?)\/openai(?:\/deployments\/([^/]+))?(?:\/.*)?$/i.exec(url.pathname);
  const prefix = match ? match[1] : url.pathname.replace(/\/+$/, '');
  const result: { endpoint: string; deployment?: string; apiVersion?: string } = { endpoint: `${url.origin}${prefix ?? ''}` };
  if (match?.[2]) result.deployment = decodeURIComponent(match[2]);
  const apiVersion = url.searchParams.get('api-version');
  if (apiVersion) result.apiVersion = apiVersion;
  return result;
}

/**
 * `https://{resource}.openai.azure.com/openai/deployments/{deployment}`. The resource may also be
 * a host (`x.cognitiveservices.azure.com`, a custom domain) or a whole endpoint URL.
 */
export function azureDeploymentUrl(resource: string, deployment: string): string {
  const r = resource.trim();
  let endpoint: string;
  if (/^https?:\/\//i.test(r)) endpoint = parseAzureUrl(r)?.endpoint ?? trimSlashes(r);
  else if (r.includes('.')) endpoint = `https://${trimSlashes(r)}`;
  else endpoint = `https://${r}.openai.azure.com`;
  return `${endpoint}/openai/deployments/${encodeURIComponent(deployment.trim())}`;
}

function presetHeaders(preset: ProviderPreset, context: ResolveContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(preset.headers ?? {})) {
    if (value.includes('{appUrl}')) {
      if (context.appUrl) out[name] = value.replace('{appUrl}', context.appUrl);
    } else out[name] = value;
  }
  return out;
}

/** Preset headers, then the user's; names compared case-insensitively so a user's `x-title` replaces `X-Title`. */
function mergeHeaders(...sets: (Record<string, string> | undefined)[]): Record<string, string> | undefined {
  const merged = new Map<string, [string, string]>();
  for (const set of sets) {
    for (const [name, value] of Object.entries(set ?? {})) {
      const trimmed = name.trim();
      if (trimmed === '' || typeof value !== 'string') continue;
      merged.set(trimmed.toLowerCase(), [trimmed, value]);
    }
  }
  return merged.size === 0 ? undefined : Object.fromEntries(merged.values());
}

export function resolveProvider(settings: ProviderSettings, context: ResolveContext = {}): ProviderConfig {
  const preset = presetById(settings.presetId) ?? CUSTOM;
  const kind: ProviderKind = preset.id === 'custom' ? (settings.kind ?? 'openai') : preset.kind;
  const config: ProviderConfig = { baseUrl: '', apiKey: (settings.apiKey ?? '').trim(), model: '', kind };

  if (kind === 'azure') {
    const azure = settings.azure;
    const pasted = settings.baseUrl?.trim() ? parseAzureUrl(settings.baseUrl) : undefined;
    const fromResource = azure?.resource.trim() && /^https?:\/\//i.test(azure.resource.trim()) ? parseAzureUrl(azure.resource) : undefined;
    const deployment = azure?.deployment.trim() || fromResource?.deployment || pasted?.deployment || '';
    if (azure?.resource.trim() && deployment) config.baseUrl = azureDeploymentUrl(azure.resource, deployment);
    else if (pasted?.deployment) config.baseUrl = azureDeploymentUrl(pasted.endpoint, pasted.deployment);
    // A URL without a deployment is the resource's v1 API (`…/openai/v1`): the model goes in the body.
    else if (pasted) config.baseUrl = trimSlashes(settings.baseUrl?.trim().split(/[?#]/)[0] ?? '');
    config.model = deployment || (settings.model ?? '').trim();
    const apiVersion = azure?.apiVersion?.trim() || fromResource?.apiVersion || pasted?.apiVersion;
    if (apiVersion) config.apiVersion = apiVersion;
    else if (/\/openai\/deployments\//i.test(config.baseUrl)) config.apiVersion = preset.apiVersion ?? AZURE_API_VERSION;
  } else {
    config.baseUrl = trimSlashes(settings.baseUrl?.trim() ? settings.baseUrl : preset.baseUrl);
    config.model = (settings.model ?? '').trim() || preset.defaultModel;
  }

  const headers = mergeHeaders(presetHeaders(preset, context), settings.headers);
  if (headers) config.headers = headers;
  if (preset.streamUsage === false) config.streamUsage = false;
  if (kind === 'anthropic' && settings.maxTokens !== undefined) config.maxTokens = settings.maxTokens;
  return config;
}

/** What keeps settings from working, as codes the Options page translates. Empty: ready to try. */
export type ProviderProblem =
  | 'base_url_missing'
  | 'base_url_invalid'
  | 'key_missing'
  | 'model_missing'
  | 'azure_resource_missing'
  | 'azure_deployment_missing'
  | 'header_invalid';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// eslint-disable-next-line no-control-regex
const BAD_HEADER_VALUE = /[\r\n\0]|[^\x00-\xff]/;

export function providerProblems(settings: ProviderSettings, context: ResolveContext = {}): ProviderProblem[] {
  const preset = presetById(settings.presetId) ?? CUSTOM;
  const config = resolveProvider(settings, context);
  const problems: ProviderProblem[] = [];
  if (config.kind === 'azure' && config.baseUrl === '') {
    if (!settings.azure?.resource.trim()) problems.push('azure_resource_missing');
    if (!settings.azure?.deployment.trim()) problems.push('azure_deployment_missing');
  } else if (config.baseUrl === '') problems.push('base_url_missing');
  else {
    try {
      const url = new URL(config.baseUrl);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push('base_url_invalid');
    } catch {
      problems.push('base_url_invalid');
    }
  }
  if (preset.needsKey && config.apiKey === '') problems.push('key_missing');
  if (config.kind !== 'azure' && config.model === '') problems.push('model_missing');
  const headers = Object.entries(settings.headers ?? {}).filter(([name]) => name.trim() !== '');
  if (headers.some(([name, value]) => !HEADER_NAME.test(name.trim()) || BAD_HEADER_VALUE.test(value))) problems.push('header_invalid');
  return problems;
}
