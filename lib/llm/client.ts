// The client: request shaping → single-flight → admission → one attempt → retry decision.
// Everything with a side effect (network, time, randomness, storage) comes in through `deps`.

import { Admission, type Outcome } from './admission';
import { exchange, readChatStream, readModelList, readWholeAnswer, type BodyReader, type ExchangeInput } from './attempt';
import { fullJitterDelay } from './backoff';
import type { BreakerView } from './breaker';
import { realSleep, type Now, type Sleep } from './clock';
import { errors, isLlmError, type LlmError } from './errors';
import { DEFAULT_CLIENT_OPTIONS, resolveOptions, type ClientOptions } from './options';
import { StatePersister, type StateStore } from './persisted-state';
import { chatBody, chatEndpoint, modelsEndpoint, providerKind, providerSecrets, requestHeaders } from './request';
import { RetryBudget } from './retry-budget';
import { readQuota, type QuotaSignal } from './retry-hints';
import { SingleFlight, type FlightHooks } from './single-flight';
import type { ChatOptions, ChatRequest, ChatResult, ClientStatus, ProviderConfig } from './types';

export interface LlmClientDeps {
  fetch: typeof fetch;
  getProvider: () => ProviderConfig | Promise<ProviderConfig>;
  now?: Now;
  random?: () => number;
  /** Abortable; rejects when the signal aborts. Default: real timers. */
  sleep?: Sleep;
  /** Keeps admission state (limit, pause, breaker) across worker restarts. */
  stateStore?: StateStore;
  options?: Partial<ClientOptions>;
}

export interface ListModelsOptions {
  signal?: AbortSignal;
}

export interface ClientStats {
  concurrency: number;
  inFlight: number;
  queued: number;
  breaker: BreakerView;
  pausedUntil: number;
}

export interface LlmClient {
  /** Streams the answer, calling `opts.onDelta` with each piece of text. */
  chat(req: ChatRequest, opts?: ChatOptions): Promise<ChatResult>;
  /** The same, without streaming. */
  complete(req: ChatRequest, opts?: Omit<ChatOptions, 'onDelta'>): Promise<ChatResult>;
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

interface Prepared {
  provider: ProviderConfig;
  url: string;
  headers: Record<string, string>;
  body: string;
  mode: Mode;
  secrets: string[];
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
  const budget = new RetryBudget(options.retryBudgetRatio, options.retryBudgetMax);
  const flights = new SingleFlight<ChatResult>();

  let ready: Promise<void> | undefined;
  const ensureReady = (): Promise<void> =>
    (ready ??= persister.load().then((state) => {
      if (state !== undefined) admission.restore(state);
    }));

  async function provider(): Promise<ProviderConfig> {
    let config: ProviderConfig;
    try {
      config = await deps.getProvider();
    } catch (error) {
      // Errors that already say what is wrong (not configured, key locked) reach the user as they are.
      if (isLlmError(error) || (error instanceof Error && 'kind' in error)) throw error;
      throw errors.invalidProvider('they could not be read');
    }
    if (!config || typeof config.baseUrl !== 'string' || config.baseUrl.trim() === '') {
      throw errors.invalidProvider('no base URL is set');
    }
    return config;
  }

  function exchangeInput(p: Prepared, signal: AbortSignal, deadline: number, onConnecting?: () => void): ExchangeInput {
    const input: ExchangeInput = {
      fetch: deps.fetch,
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

  /** How long to back off before the next attempt, or undefined to give up now. */
  function retryDelay(error: LlmError, attempt: number, deadline: number): number | undefined {
    if (!error.retryable || attempt >= options.maxAttempts) return undefined;
    if (error.retryAfterMs !== undefined && error.retryAfterMs > options.maxRetryAfterMs) return undefined;
    // With a server hint, admission has paused the whole client; with the circuit open, admission
    // lets one probe through per cool-down. Either way the wait, and the cap on load, are there.
    const gated = error.retryAfterMs !== undefined || admission.circuitOpen();
    const delay = gated ? 0 : fullJitterDelay(attempt, options.backoffBaseMs, options.backoffCapMs, random);
    const earliest = now() + (error.retryAfterMs ?? delay);
    if (earliest >= deadline) return undefined;
    // A retry the server scheduled itself (retry-after, behind a client-wide pause) or one held
    // behind the breaker is not the blind extra load the budget exists to cap; only our own
    // guesses are paid for.
    if (!gated && !budget.tryWithdraw()) return undefined;
    return delay;
  }

  function waitingReason(error: LlmError): Extract<ClientStatus, { type: 'waiting' }>['reason'] {
    if (error.kind === 'rate_limited') return 'rate_limited';
    if (error.kind === 'server') return 'server_error';
    return 'network';
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
        onStatus: hooks.status,
      });
      let result: ChatResult | undefined;
      let failure: unknown;
      let quota: QuotaSignal | undefined;
      try {
        const input = exchangeInput(p, hooks.signal, deadline, () => hooks.status({ type: 'connecting' }));
        input.onResponse = (headers) => {
          quota = readQuota(headers, now());
        };
        const kind = providerKind(p.provider);
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
                kind,
              )
            : readWholeAnswer(kind);
        result = await exchange(input, reader);
      } catch (error) {
        failure = error;
      }

      if (result !== undefined) {
        ticket.finish(quota === undefined ? { type: 'success' } : { type: 'success', quota });
        budget.onSuccess();
        return result;
      }
      if (!isLlmError(failure)) {
        ticket.finish({ type: 'cancelled' });
        throw failure;
      }
      const error = failure;
      if (delivered !== '') {
        // Shown text cannot be unsent; a silent retry would repeat it. The caller decides.
        error.partialText = delivered;
        error.retryable = false;
      }
      error.attempts = attempt;
      const outcome: Outcome = { type: 'failure', error };
      ticket.finish(outcome);

      const delay = retryDelay(error, attempt, deadline);
      if (delay === undefined) throw error;
      if (delay > 0) {
        hooks.status({ type: 'waiting', reason: waitingReason(error), until: now() + delay, attempt: attempt + 1 });
        try {
          await sleep(delay, hooks.signal);
        } catch {
          throw errors.aborted();
        }
      }
    }
  }

  async function send(req: ChatRequest, opts: ChatOptions, mode: Mode): Promise<ChatResult> {
    if (opts.signal?.aborted) throw errors.aborted();
    const config = await provider();
    if (opts.signal?.aborted) throw errors.aborted();
    const prepared: Prepared = {
      provider: config,
      url: chatEndpoint(config),
      headers: requestHeaders(config, { stream: mode === 'stream', hasBody: true }),
      body: JSON.stringify(chatBody(config, req, { stream: mode === 'stream', includeUsage: options.includeUsage })),
      mode,
      secrets: providerSecrets(config),
    };
    // Same endpoint, same credentials and headers, same body: the same answer.
    const key = JSON.stringify([prepared.url, Object.entries(prepared.headers).sort(), prepared.body]);
    return flights.run(key, opts, (hooks) => runWithRetries(prepared, hooks));
  }

  async function listModels(opts: ListModelsOptions = {}): Promise<string[]> {
    const config = await provider();
    const timeout = options.firstByteTimeoutMs;
    const deployment = config.model.trim();
    // A 2xx from the resource is all Azure can tell: the key works there; the model is the deployment.
    const azureDeployment: BodyReader<string[]> = async (ctx) => {
      await ctx.response.text();
      return deployment === '' ? [] : [deployment];
    };
    const reader = providerKind(config) === 'azure' ? azureDeployment : readModelList;
    return exchange(
      {
        fetch: deps.fetch,
        now,
        sleep,
        url: modelsEndpoint(config),
        method: 'GET',
        headers: requestHeaders(config, { stream: false, hasBody: false }),
        signal: opts.signal ?? new AbortController().signal,
        deadline: now() + timeout,
        deadlineMs: timeout,
        firstByteTimeoutMs: timeout,
        idleTimeoutMs: timeout,
        secrets: providerSecrets(config),
      },
      reader,
    );
  }

  let warming: Promise<void> | undefined;

  return {
    chat(req, opts = {}) {
      return send(req, opts, 'stream');
    },

    complete(req, opts = {}) {
      const { signal, onStatus } = opts;
      return send(req, { signal, onStatus }, 'json');
    },

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
      budget.configure(options.retryBudgetRatio, options.retryBudgetMax);
    },

    stats() {
      void ensureReady();
      return admission.stats();
    },
  };
}
