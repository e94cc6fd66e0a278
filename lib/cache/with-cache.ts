// The cache as a ChatClient: the job runner calls it exactly as it calls the LLM client, and a
// cached answer reaches the view through the same onDelta path as a live one, only all at once.
// The provider settings are read once per request: they key the cache, and the LLM client gets
// them as they are rather than reading (and decrypting) them again.
import type { ChatClient } from '../llm/client';
import { errors } from '../llm/errors';
import type { ChatOptions, ChatRequest, ChatResult, ProviderConfig, Usage } from '../llm/types';
import type { ActivityLog } from '../privacy/activity';
import { requestKey } from './key';
import type { CacheKind } from './policy';
import type { ResponseCache } from './response-cache';

export interface CachingChatOptions extends ChatOptions {
  /** Skip the lookup and replace the stored answer with the fresh one. */
  regenerate?: boolean;
  /** Which caching rules apply. Default 'chat': cached only when deterministic (or opted in). */
  cachePolicy?: CacheKind;
  /** Output language, when it is not already spelled out in the messages. */
  language?: string;
}

export interface CachedChatResult extends ChatResult {
  /** The request's key: what "forget this page" and the activity log refer to. */
  hash: string;
  /** The model asked: what the tokens are priced by. */
  model: string;
  /** Set when the answer came from the cache: when it was first generated (epoch ms), and its tokens then. */
  cached: { at: number; hash: string; usage: Usage } | undefined;
}

export interface CachingChatClient {
  chat(req: ChatRequest, opts?: CachingChatOptions): Promise<CachedChatResult>;
}

/** A client that takes provider settings already read; the LLM client is one. */
export interface ProviderBoundClient {
  withProvider(provider: ProviderConfig): Pick<ChatClient, 'chat'>;
}

export interface WithCacheOptions {
  /** The provider for this request, read per request so a settings change applies at once. */
  getProvider: () => ProviderConfig | Promise<ProviderConfig>;
  activity?: ActivityLog;
  /** Failures of cache writes and logging, which never fail the request. Default: console.warn. */
  onError?: (err: unknown) => void;
}

export function withCache(
  client: ProviderBoundClient,
  cache: ResponseCache,
  options: WithCacheOptions,
): CachingChatClient {
  const onError = options.onError ?? ((err: unknown) => console.warn('Precis: cache wrapper', err));

  async function log(hash: string, model: string, cached: boolean, promptTokens = 0, completionTokens = 0) {
    if (!options.activity) return;
    await options.activity.record({ hash, model, cached, promptTokens, completionTokens }).catch(onError);
  }

  return {
    async chat(req, opts = {}) {
      const { regenerate = false, cachePolicy = 'chat', language, ...inner } = opts;
      const provider = await options.getProvider();
      const model = req.model ?? provider.model;
      const hash = await requestKey({ provider, request: req, language });
      const cacheable = cache.isCacheable(cachePolicy, req);

      if (cacheable && !regenerate) {
        const hit = await cache.get(hash, { model });
        if (hit) {
          if (inner.signal?.aborted) throw errors.aborted();
          inner.onDelta?.(hit.text);
          // No usage: replaying spent no tokens. Its tokens when first made are what it saved.
          await log(hash, model, true, hit.promptTokens, hit.completionTokens);
          const saved = { promptTokens: hit.promptTokens, completionTokens: hit.completionTokens };
          return { text: hit.text, finishReason: hit.finishReason, hash, model, cached: { at: hit.created, hash, usage: saved } };
        }
      }

      const result = await client.withProvider(provider).chat(req, inner);
      // 'length' is an answer cut off at max_tokens, and anything else (content filter, tool call)
      // is not a complete text answer either; errors and aborts never get here.
      if (cacheable && result.finishReason === 'stop') {
        try {
          await cache.put(hash, { kind: cachePolicy, model, text: result.text, finishReason: result.finishReason, usage: result.usage });
        } catch (err) {
          onError(err);
        }
      }
      await log(hash, model, false, result.usage?.promptTokens, result.usage?.completionTokens);
      return { ...result, hash, model, cached: undefined };
    },
  };
}
