// The contract between the LLM client (lib/llm) and everything that uses it (jobs, background,
// benchmarks). Plain data only: nothing here touches the network or the browser.

export interface ProviderConfig {
  /** OpenAI-compatible base URL, e.g. `https://api.openai.com/v1` (no trailing slash needed). */
  baseUrl: string;
  apiKey: string;
  model: string;
  /** Extra headers a gateway needs (team proxies, OpenRouter's referer…). */
  headers?: Record<string, string>;
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
  | { type: 'queued' }
  | { type: 'connecting' }
  | { type: 'streaming' }
  | {
      type: 'waiting';
      reason: 'rate_limited' | 'server_error' | 'network' | 'circuit_open';
      /** Epoch ms when the next attempt may start. */
      until: number;
      attempt: number;
    };

export type LlmErrorKind =
  | 'auth' // 401/403: wrong or revoked key
  | 'not_found' // 404: wrong base URL or model name
  | 'bad_request' // 400/422
  | 'context_length' // prompt too long for the model
  | 'rate_limited' // 429 after all retries
  | 'quota' // 429 insufficient_quota: never retried
  | 'server' // 5xx after all retries
  | 'network' // fetch failed: DNS, refused, offline
  | 'timeout' // first byte, idle or overall deadline
  | 'aborted' // the caller cancelled
  | 'bad_response' // a body that is not an OpenAI-compatible answer
  | 'stream_cut' // the stream ended without [DONE]/finish_reason
  | 'circuit_open'; // the breaker stayed open past the request's deadline

export interface ChatOptions {
  signal?: AbortSignal;
  /** Called with each new piece of answer text, in order. */
  onDelta?: (text: string) => void;
  onStatus?: (status: ClientStatus) => void;
}
