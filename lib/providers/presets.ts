// The providers the Options page offers by name, with the facts each one needs: where its API
// lives, how it takes the key, what it calls its models, and its quirks. Plain data; turning stored
// settings into a ProviderConfig for the client is resolve.ts.

import type { ProviderKind } from '../llm/types';

export type PresetId =
  | 'openai'
  | 'azure'
  | 'anthropic'
  | 'deepseek'
  | 'moonshot'
  | 'qwen'
  | 'volcengine'
  | 'openrouter'
  | 'groq'
  | 'mistral'
  | 'ollama'
  | 'lmstudio'
  | 'custom';

export interface ProviderPreset {
  id: PresetId;
  /** Display name (a brand: not translated). */
  name: string;
  kind: ProviderKind;
  /**
   * Base URL the client joins endpoint paths to. Azure: a template with `{resource}` and
   * `{deployment}`, filled from the Azure settings. Custom: empty, the user's to fill.
   */
  baseUrl: string;
  /** Other official base URLs for the same API (another region, the international site). */
  alternateBaseUrls?: { label: string; baseUrl: string }[];
  /** Prefilled model; empty where the user must name one (Azure deployment, custom endpoint). */
  defaultModel: string;
  /** Offered before the model list has been fetched (or where it cannot be). */
  suggestedModels?: string[];
  needsKey: boolean;
  /** Runs on the user's machine or network: no key, and the Origin rewrite of local-origin.ts applies. */
  local?: boolean;
  docsUrl?: string;
  /** Where the user creates a key. */
  keyUrl?: string;
  /**
   * Fixed extra headers. A value of `{appUrl}` is replaced by the app's URL when resolving (and
   * the header dropped when there is none).
   */
  headers?: Record<string, string>;
  /** `false`: the server rejects `stream_options` (see ProviderConfig.streamUsage). */
  streamUsage?: boolean;
  /** Azure: the `api-version` sent unless the settings name another. */
  apiVersion?: string;
  /** What to know when setting it up (English; the Options page may show its own translation by id). */
  notes: string;
}

/** The app's name as OpenRouter shows it in its rankings and the user's activity page. */
export const APP_NAME = 'Precis';

export const AZURE_BASE_URL_TEMPLATE = 'https://{resource}.openai.azure.com/openai/deployments/{deployment}';
export const AZURE_API_VERSION = '2024-10-21';

export const PRESETS: readonly ProviderPreset[] = [
  {
    id: 'openai',
    name: 'OpenAI',
    kind: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    defaultModel: 'gpt-4o-mini',
    suggestedModels: ['gpt-4o-mini', 'gpt-4.1-mini', 'gpt-4.1', 'gpt-4o'],
    needsKey: true,
    docsUrl: 'https://platform.openai.com/docs/api-reference/chat',
    keyUrl: 'https://platform.openai.com/api-keys',
    notes: 'Project keys (sk-proj-…) work as they are. Usage and rate-limit headers are read from every response.',
  },
  {
    id: 'azure',
    name: 'Azure OpenAI',
    kind: 'azure',
    baseUrl: AZURE_BASE_URL_TEMPLATE,
    defaultModel: '',
    needsKey: true,
    apiVersion: AZURE_API_VERSION,
    docsUrl: 'https://learn.microsoft.com/azure/ai-services/openai/reference',
    keyUrl: 'https://portal.azure.com/',
    notes:
      'Enter the resource name (or its endpoint URL) and the deployment name; the deployment decides the model. ' +
      'The key goes in an api-key header and every request carries ?api-version=. There is no model list: "Test" checks the key against the resource.',
  },
  {
    id: 'anthropic',
    name: 'Anthropic',
    kind: 'anthropic',
    baseUrl: 'https://api.anthropic.com/v1',
    defaultModel: 'claude-sonnet-4-5',
    suggestedModels: ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1'],
    needsKey: true,
    docsUrl: 'https://docs.anthropic.com/en/api/messages',
    keyUrl: 'https://console.anthropic.com/settings/keys',
    notes:
      "Native Messages API: x-api-key and anthropic-version headers, the system prompt apart, max_tokens always set. " +
      'Requests from the extension are marked as direct browser access, which Anthropic requires of any request with an Origin.',
  },
  {
    id: 'deepseek',
    name: 'DeepSeek',
    kind: 'openai',
    baseUrl: 'https://api.deepseek.com/v1',
    defaultModel: 'deepseek-chat',
    suggestedModels: ['deepseek-chat', 'deepseek-reasoner'],
    needsKey: true,
    docsUrl: 'https://api-docs.deepseek.com/',
    keyUrl: 'https://platform.deepseek.com/api_keys',
    notes:
      'deepseek-reasoner thinks before it answers (reasoning_content, not shown), so its first words can take a while. ' +
      'Under load the API keeps the connection open with keep-alive lines instead of answering 429.',
  },
  {
    id: 'moonshot',
    name: 'Moonshot (Kimi)',
    kind: 'openai',
    baseUrl: 'https://api.moonshot.cn/v1',
    alternateBaseUrls: [{ label: 'International (platform.moonshot.ai)', baseUrl: 'https://api.moonshot.ai/v1' }],
    defaultModel: 'kimi-k2.5',
    suggestedModels: ['kimi-k2.5', 'kimi-k2.6', 'moonshot-v1-8k', 'moonshot-v1-32k', 'moonshot-v1-128k'],
    needsKey: true,
    docsUrl: 'https://platform.moonshot.cn/docs/api/chat',
    keyUrl: 'https://platform.moonshot.cn/console/api-keys',
    notes:
      'Keys from platform.moonshot.cn only work on api.moonshot.cn, keys from platform.moonshot.ai only on api.moonshot.ai. ' +
      'Model names change often: use "Fetch models" for the current list.',
  },
  {
    id: 'qwen',
    name: 'Qwen (Alibaba Cloud DashScope)',
    kind: 'openai',
    baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
    alternateBaseUrls: [
      { label: 'International (Singapore)', baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1' },
    ],
    defaultModel: 'qwen-plus',
    suggestedModels: ['qwen-plus', 'qwen-max', 'qwen-turbo', 'qwen-flash', 'qwen-long'],
    needsKey: true,
    docsUrl: 'https://help.aliyun.com/zh/model-studio/compatibility-of-openai-with-dashscope',
    keyUrl: 'https://bailian.console.aliyun.com/?apiKey=1',
    notes: 'DashScope compatible mode. Beijing and Singapore keys are separate and only work on their own region.',
  },
  {
    id: 'volcengine',
    name: 'Volcengine Ark (Doubao)',
    kind: 'openai',
    baseUrl: 'https://ark.cn-beijing.volces.com/api/v3',
    defaultModel: 'doubao-seed-1-6-250615',
    suggestedModels: ['doubao-seed-1-6-250615', 'doubao-seed-1-6-flash-250828', 'doubao-1-5-pro-32k-250115'],
    needsKey: true,
    docsUrl: 'https://www.volcengine.com/docs/82379/1330310',
    keyUrl: 'https://console.volcengine.com/ark/region:ark+cn-beijing/apiKey',
    notes:
      'The model is either a model id the account has activated (doubao-seed-…) or an inference endpoint id (ep-…). ' +
      'Models must be activated in the Ark console before the API answers for them.',
  },
  {
    id: 'openrouter',
    name: 'OpenRouter',
    kind: 'openai',
    baseUrl: 'https://openrouter.ai/api/v1',
    defaultModel: 'openai/gpt-4o-mini',
    suggestedModels: ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4.5', 'google/gemini-2.5-flash', 'deepseek/deepseek-chat'],
    needsKey: true,
    docsUrl: 'https://openrouter.ai/docs/api-reference/overview',
    keyUrl: 'https://openrouter.ai/settings/keys',
    headers: { 'HTTP-Referer': '{appUrl}', 'X-Title': APP_NAME },
    notes:
      'Model ids are vendor/model. HTTP-Referer and X-Title identify the app to OpenRouter. ' +
      'While it waits for a busy upstream, OpenRouter sends ": OPENROUTER PROCESSING" comments, which keep the connection but not the idle timer alive.',
  },
  {
    id: 'groq',
    name: 'Groq',
    kind: 'openai',
    baseUrl: 'https://api.groq.com/openai/v1',
    defaultModel: 'llama-3.3-70b-versatile',
    suggestedModels: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant', 'openai/gpt-oss-120b', 'openai/gpt-oss-20b'],
    needsKey: true,
    docsUrl: 'https://console.groq.com/docs/openai',
    keyUrl: 'https://console.groq.com/keys',
    notes: 'Very fast, with low per-minute token limits on free keys: long pages are rate-limited first, and the client paces itself from the x-ratelimit headers.',
  },
  {
    id: 'mistral',
    name: 'Mistral AI',
    kind: 'openai',
    baseUrl: 'https://api.mistral.ai/v1',
    defaultModel: 'mistral-small-latest',
    suggestedModels: ['mistral-small-latest', 'mistral-medium-latest', 'mistral-large-latest'],
    needsKey: true,
    docsUrl: 'https://docs.mistral.ai/api/',
    keyUrl: 'https://console.mistral.ai/api-keys',
    streamUsage: false,
    notes: 'Rejects fields it does not know with 422, stream_options included: usage comes with the last chunk unasked.',
  },
  {
    id: 'ollama',
    name: 'Ollama (local)',
    kind: 'openai',
    baseUrl: 'http://localhost:11434/v1',
    defaultModel: 'llama3.2',
    suggestedModels: ['llama3.2', 'qwen2.5', 'gemma3', 'mistral'],
    needsKey: false,
    local: true,
    docsUrl: 'https://github.com/ollama/ollama/blob/main/docs/openai.md',
    notes:
      'No key. Ollama answers 403 to requests from browser extensions unless OLLAMA_ORIGINS allows them; ' +
      'Precis rewrites the Origin header of its own requests to the local server, so no setup is needed in Chrome or Firefox. ' +
      'The first request after a while loads the model, which can take longer than the first-byte timeout on slow disks.',
  },
  {
    id: 'lmstudio',
    name: 'LM Studio (local)',
    kind: 'openai',
    baseUrl: 'http://localhost:1234/v1',
    defaultModel: '',
    needsKey: false,
    local: true,
    docsUrl: 'https://lmstudio.ai/docs/app/api/endpoints/openai',
    notes: 'No key. Start the server in LM Studio (Developer tab) and load a model; "Fetch models" lists what is loaded or downloaded.',
  },
  {
    id: 'custom',
    name: 'Custom (OpenAI-compatible)',
    kind: 'openai',
    baseUrl: '',
    defaultModel: '',
    needsKey: false,
    notes:
      'Any OpenAI-compatible endpoint: a team gateway (LiteLLM, One API, a corporate proxy), vLLM, llama.cpp, LocalAI… ' +
      'The base URL usually ends in /v1. Extra headers are sent with every request; a key, if given, is sent as a bearer token.',
  },
];

const BY_ID = new Map<string, ProviderPreset>(PRESETS.map((p) => [p.id, p]));

export function presetById(id: string | undefined): ProviderPreset | undefined {
  return id === undefined ? undefined : BY_ID.get(id);
}

/** The preset whose base URL (or an alternate) this is, e.g. to preselect it for settings saved before presets existed. */
export function presetForBaseUrl(baseUrl: string): ProviderPreset | undefined {
  const normalise = (url: string): string => url.trim().replace(/\/+$/, '').toLowerCase();
  const wanted = normalise(baseUrl);
  if (wanted === '') return undefined;
  return PRESETS.find(
    (p) =>
      p.id !== 'custom' &&
      p.id !== 'azure' &&
      (normalise(p.baseUrl) === wanted || (p.alternateBaseUrls ?? []).some((alt) => normalise(alt.baseUrl) === wanted)),
  );
}
