// The client: request shaping → single-flight → admission → one attempt → retry policy.
// Everything with a side effect (network, time, randomness, storage) comes in through `deps`.

import { isAppError } from '../errors';
import { Admission, type AdmissionStats } from './admission';
import { exchange, readChatStream, readWholeAnswer, type ExchangeInput } from './attempt';
import { fullJitterDelay } from './backoff';
import { realSleep, type Now, type Sleep } from './clock';
import { errors, isLlmError } from './errors';
import { DEFAULT_CLIENT_OPTIONS, resolveOptions, type ClientOptions } from './options';
import { StatePersister, type StateStore } from './persisted-state';
import { estimateCounter } from '../extract/tokens';
import { chatRequest, modelListRequest, type PreparedChat } from './request';
import { RetryBudget } from './retry-budget';
import { decideRetry } from './retry-policy';
import { SingleFlight, type FlightHooks } from './single-flight';
import type { ChatOptions, ChatRequest, ChatResult, ProviderConfig } from './types';

export interface LlmClientDeps {
  fetch: typeof fetch;
  getProvider: () => ProviderConfig | Promise<ProviderConfig>;
  now?: Now;
  random?: () => number;
  /** Abortable; rejects when the signal aborts. Default: real timers. */
  sleep?: Sleep;
  /** Keeps admission state (limit, pause, breaker) across worker restarts. */
  stateStore?: StateStore;
  /**
   * Counts a request's tokens before it is sent, for pacing against a tokens-per-minute limit.
   * Default: the tokenizer-free estimate (lib/extract/tokens.ts), which errs high.
   */
  countTokens?: (text: string) => number;
  options?: Partial<ClientOptions>;
}

export interface ListModelsOptions {
  signal?: AbortSignal;
}

/** Admission's view: concurrency, queue, breaker, pause, and the rates the pacer learned or was told. */
export type ClientStats = AdmissionStats;

/** Chat against one provider. */
export interface ChatClient {
  /** Streams the answer, calling `opts.onDelta` with each piece of text. */
  chat(req: ChatRequest, opts?: ChatOptions): Promise<ChatResult>;
  /** The same, without streaming. */
  complete(req: ChatRequest, opts?: Omit<ChatOptions, 'onDelta'>): Promise<ChatResult>;
}

export interface LlmClient extends ChatClient {
  /**
   * The same client (admission, retries, single-flight shared) for provider settings the caller
   * has already read, e.g. to key a cache: `deps.getProvider`, which may decrypt the key, is not
   * called again.
   */
  withProvider(provider: ProviderConfig): ChatClient;
  /**
   * `GET {baseUrl}/models`: one attempt, outside admission, so Options can test a key even while the
   * breaker is open. An Azure deployment answers with itself, once the resource accepted the key.
   */
  listModels(opts?: ListModelsOptions): Promise<string[]>;
  /** Opens the connection ahead of the first real request. Never throws. */
  warmUp(): Promise<void>;
  setOptions(options: Partial<ClientOptions>): void;
  stats(): ClientStats;
}

type Mode = 'stream' | 'json';

interface Prepared extends PreparedChat {
  mode: Mode;
  /** The prompt's tokens, as the server will count them against its token window. */
  tokens: number;
}

export function createLlmClient(deps: LlmClientDeps): LlmClient {
  const now = deps.now ?? (() => Date.now());
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? realSleep;
  let options = resolveOptions(DEFAULT_CLIENT_OPTIONS, deps.options);

  const persister: StatePersister = new StatePersister(
    deps.stateStore,
    (ms) => sleep(ms),
    () => options.persistDebounceMs,
    () => admission.snapshot(),
  );
  const admission = new Admission({ now, random, sleep, onStateChange: () => persister.schedule() }, options);
  const budget = new RetryBudget(options.retryBudgetRatio, options.retryBudgetMax, options.retryBudgetPerSec, now());
  const countTokens = deps.countTokens ?? ((text: string) => estimateCounter.count(text));
  const flights = new SingleFlight<ChatResult>();

  let ready: Promise<void> | undefined;
  const ensureReady = (): Promise<void> =>
    (ready ??= persister.load().then((state) => {
      if (state !== undefined) admission.restore(state);
    }));

  async function readProvider(): Promise<ProviderConfig> {
    try {
      return await deps.getProvider();
    } catch (error) {
      // Errors that already say what is wrong (not configured, key locked) reach the user as they are.
      if (isAppError(error)) throw error;
      throw errors.invalidProvider('they could not be read');
    }
  }

  function usable(config: ProviderConfig): ProviderConfig {
    if (!config || typeof config.baseUrl !== 'string' || config.baseUrl.trim() === '') {
      throw errors.invalidProvider('no base URL is set');
    }
    return config;
  }

  function exchangeInput(p: Prepared, signal: AbortSignal, deadline: number, onConnecting?: () => void): ExchangeInput {
    const input: ExchangeInput = {
      fetch: deps.fetch,
      dialect: p.dialect,
      now,
      sleep,
      url: p.url,
      method: 'POST',
      headers: p.headers,
      body: p.body,
      signal,
      deadline,
      deadlineMs: options.deadlineMs,
      firstByteTimeoutMs: p.mode === 'stream' ? options.firstByteTimeoutMs : options.nonStreamingTimeoutMs,
      idleTimeoutMs: options.idleTimeoutMs,
      secrets: p.secrets,
    };
    if (onConnecting) input.onConnecting = onConnecting;
    return input;
  }

  async function runWithRetries(p: Prepared, hooks: FlightHooks): Promise<ChatResult> {
    await ensureReady();
    const deadline = now() + options.deadlineMs;
    let delivered = '';
    for (let attempt = 1; ; attempt += 1) {
      const ticket = await admission.admit({
        signal: hooks.signal,
        deadline,
        deadlineMs: options.deadlineMs,
        attempt,
        tokens: p.tokens,
        onStatus: hooks.status,
      });
      let result: ChatResult | undefined;
      let failure: unknown;
      let headers: Headers | undefined;
      try {
        const input = exchangeInput(p, hooks.signal, deadline, () => hooks.status({ type: 'connecting' }));
        input.onHeaders = (received) => {
          headers = received;
        };
        const reader =
          p.mode === 'stream'
            ? readChatStream(
                {
                  onDelta: (text) => {
                    delivered += text;
                    hooks.delta(text);
                  },
                  onStreaming: () => hooks.status({ type: 'streaming' }),
                },
                p.dialect,
              )
            : readWholeAnswer(p.dialect);
        result = await exchange(input, reader);
      } catch (error) {
        failure = error;
      }

      if (result !== undefined) {
        ticket.finish({ type: 'success', ...(headers && { headers }) });
        budget.onSuccess(now());
        return result;
      }
      if (!isLlmError(failure)) {
        ticket.finish({ type: 'cancelled' });
        throw failure;
      }
      // Admission learns from the failure first, so the policy sees the breaker as it now stands.
      ticket.finish({ type: 'failure', error: failure, ...(headers && { headers }) });
      const decision = decideRetry({
        error: failure,
        attempt,
        maxAttempts: options.maxAttempts,
        delivered,
        now: now(),
        deadline,
        maxRetryAfterMs: options.maxRetryAfterMs,
        circuitOpen: admission.circuitOpen(),
        paced: admission.paced(),
        budgetWaitMs: budget.waitMs(now()),
        backoffMs: () => fullJitterDelay(attempt, options.backoffBaseMs, options.backoffCapMs, random),
      });
      if (decision.action === 'fail') throw decision.error;
      if (decision.spendsBudget) budget.spend(now());
      if (decision.delayMs > 0) {
        hooks.status({ type: 'waiting', reason: decision.waitReason, until: now() + decision.delayMs, attempt: attempt + 1 });
        try {
          await sleep(decision.delayMs, hooks.signal);
        } catch {
          throw errors.aborted();
        }
      }
    }
  }

  async function send(req: ChatRequest, opts: ChatOptions, mode: Mode, known?: ProviderConfig): Promise<ChatResult> {
    if (opts.signal?.aborted) throw errors.aborted();
    const config = usable(known ?? (await readProvider()));
    if (opts.signal?.aborted) throw errors.aborted();
    const prepared: Prepared = {
      ...chatRequest(config, req, { stream: mode === 'stream', includeUsage: options.includeUsage }),
      mode,
      tokens: req.messages.reduce((sum, m) => sum + countTokens(m.content), 0),
    };
    // Same endpoint, same credentials and headers, same body: the same answer.
    const key = JSON.stringify([prepared.url, Object.entries(prepared.headers).sort(), prepared.body]);
    return flights.run(key, opts, (hooks) => runWithRetries(prepared, hooks));
  }

  function chatClient(known?: ProviderConfig): ChatClient {
    return {
      chat: (req, opts = {}) => send(req, opts, 'stream', known),
      complete: (req, { signal, onStatus } = {}) => send(req, { signal, onStatus }, 'json', known),
    };
  }

  async function listModels(opts: ListModelsOptions = {}): Promise<string[]> {
    const request = modelListRequest(usable(await readProvider()));
    const timeout = options.firstByteTimeoutMs;
    return exchange(
      {
        fetch: deps.fetch,
        dialect: request.dialect,
        now,
        sleep,
        url: request.url,
        method: 'GET',
        headers: request.headers,
        signal: opts.signal ?? new AbortController().signal,
        deadline: now() + timeout,
        deadlineMs: timeout,
        firstByteTimeoutMs: timeout,
        idleTimeoutMs: timeout,
        secrets: request.secrets,
      },
      request.read,
    );
  }

  let warming: Promise<void> | undefined;

  return {
    ...chatClient(),
    withProvider: chatClient,
    listModels,

    warmUp() {
      warming ??= listModels()
        .then(
          () => undefined,
          () => undefined,
        )
        .finally(() => {
          warming = undefined;
        });
      return warming;
    },

    setOptions(patch) {
      options = resolveOptions(options, patch);
      admission.configure(options);
      budget.configure(options.retryBudgetRatio, options.retryBudgetMax, options.retryBudgetPerSec);
    },

    stats() {
      void ensureReady();
      return admission.stats();
    },
  };
}
