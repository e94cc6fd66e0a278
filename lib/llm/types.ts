// The contract between the LLM client (lib/llm) and everything that uses it (jobs, background,
// benchmarks). Plain data only: nothing here touches the network or the browser.

/**
 * The wire protocol a provider speaks. `openai`: Chat Completions with a bearer key (OpenAI and
 * every compatible server); `azure`: the same body on an Azure OpenAI deployment URL, with an
 * `api-version` query parameter and an `api-key` header; `anthropic`: Anthropic's Messages API.
 */
export type ProviderKind = 'openai' | 'azure' | 'anthropic';

export interface ProviderConfig {
  /**
   * Base URL the endpoint paths are joined to, e.g. `https://api.openai.com/v1` (no trailing slash
   * needed). Azure: the deployment URL `https://{resource}.openai.azure.com/openai/deployments/{deployment}`
   * (or the resource's `/openai/v1` URL). Anthropic: `https://api.anthropic.com/v1`.
   */
  baseUrl: string;
  apiKey: string;
  /** The model id; for an Azure deployment URL, the deployment's name (the server ignores it). */
  model: string;
  /** Extra headers a gateway needs (team proxies, OpenRouter's referer…). They never replace the key's header. */
  headers?: Record<string, string>;
  /** Default `openai`. */
  kind?: ProviderKind;
  /** Azure: the `api-version` query parameter (default 2024-10-21 on deployment URLs). */
  apiVersion?: string;
  /**
   * `false` when the server rejects `stream_options` (Mistral answers 422): usage is then only
   * read if the server sends it unasked. Default true (subject to the client's `includeUsage`).
   */
  streamUsage?: boolean;
  /** Anthropic: `max_tokens` for requests that set none (the Messages API requires it). Default 4096. */
  maxTokens?: number;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Overrides the provider's model for this request. */
  model?: string;
  temperature?: number;
  max_tokens?: number;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export interface ChatResult {
  text: string;
  finishReason: string;
  usage?: Usage;
}

/** What the client is doing while the caller waits; the UI turns it into "retrying in 4 s…". */
export type ClientStatus =
  /** `slots`: every request slot is taken (`running` of `limit`); `pacing`: the next free turn at the provider's rate is `until`. */
  | { type: 'queued'; reason?: 'slots' | 'pacing'; until?: number; running?: number; limit?: number }
  | { type: 'connecting' }
  | { type: 'streaming' }
  | {
      type: 'waiting';
      reason: 'rate_limited' | 'server_error' | 'network' | 'circuit_open';
      /** Epoch ms when the next attempt may start. */
      until: number;
      attempt: number;
    };

/** Defined with the application's other error kinds. */
export type { LlmErrorKind } from '../errors';

export interface ChatOptions {
  signal?: AbortSignal;
  /** Called with each new piece of answer text, in order. */
  onDelta?: (text: string) => void;
  onStatus?: (status: ClientStatus) => void;
}
