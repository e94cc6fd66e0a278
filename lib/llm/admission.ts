// Decides when a request may go out. Shared by every request of one client: an adaptive
// concurrency limit that starts small and grows, the pacer (the server's request and token
// buckets, learned from what it admits and refuses), a client-wide pause when a failing server
// says "retry after", a circuit breaker, and a stop when the quota is spent. Requests that cannot
// go yet wait (abortably, up to their deadline) rather than fail.

import pLimit, { type LimitFunction } from 'p-limit';
import { AimdLimit } from './aimd';
import { CircuitBreaker, type BreakerView } from './breaker';
import type { Now, Sleep } from './clock';
import { errors, type LlmError } from './errors';
import type { AdmissionState } from './persisted-state';
import { Pacer, type PacerView, type Sent, type WindowName } from './pacer';
import { readLimits, serverWait, type LimitReport } from './retry-hints';
import type { ClientStatus } from './types';

export interface AdmissionOptions {
  maxConcurrency: number;
  resumeSpreadMs: number;
  breakerFailureThreshold: number;
  breakerCoolDownMs: number;
  breakerMaxCoolDownMs: number;
}

export interface AdmissionDeps {
  now: Now;
  random: () => number;
  sleep: Sleep;
  /** Something worth persisting changed. */
  onStateChange(): void;
}

export interface AdmitRequest {
  signal: AbortSignal;
  /** Epoch ms; waiting past it fails the request. */
  deadline: number;
  deadlineMs: number;
  attempt: number;
  /** The request's tokens, counted before sending, for the token window. */
  tokens: number;
  onStatus?(status: ClientStatus): void;
}

export type Outcome =
  /** `headers`: the response's, if one came; they may describe the rate limit. */
  | { type: 'success'; headers?: Headers }
  | { type: 'failure'; error: LlmError; headers?: Headers }
  | { type: 'cancelled' };

/** A held concurrency slot. `finish` reports how the attempt went and frees the slot. */
export interface Ticket {
  readonly probe: boolean;
  finish(outcome: Outcome): void;
}

export interface AdmissionStats {
  concurrency: number;
  inFlight: number;
  queued: number;
  breaker: BreakerView;
  pausedUntil: number;
  pace: PacerView;
}

type PauseReason = 'rate_limited' | 'server_error';

// A garbled header must not stop the client for a day.
const MAX_PAUSE_MS = 15 * 60_000;

export class Admission {
  private readonly limit: LimitFunction;
  private readonly aimd: AimdLimit;
  private readonly breaker: CircuitBreaker;
  private pausedUntil = 0;
  private pauseReason: PauseReason = 'rate_limited';
  private readonly pacer = new Pacer();
  /** A spent quota: requests that queued before it (`arrival` up to `upTo`) fail with `error` without going upstream. */
  private stopped: { error: LlmError; upTo: number } | undefined;
  /** Counts calls to `admit`, in order. */
  private arrivals = 0;
  private queuedCount = 0;
  private inFlightCount = 0;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly deps: AdmissionDeps,
    private options: AdmissionOptions,
  ) {
    this.aimd = new AimdLimit(options.maxConcurrency);
    this.limit = pLimit(this.aimd.current);
    this.breaker = new CircuitBreaker(options.breakerFailureThreshold, options.breakerCoolDownMs, options.breakerMaxCoolDownMs);
  }

  configure(options: AdmissionOptions): void {
    this.options = options;
    this.breaker.configure(options.breakerFailureThreshold, options.breakerCoolDownMs, options.breakerMaxCoolDownMs);
    this.aimd.setMax(options.maxConcurrency);
    this.applyLimit();
    this.deps.onStateChange();
  }

  stats(): AdmissionStats {
    const now = this.deps.now();
    return {
      concurrency: this.aimd.current,
      inFlight: this.inFlightCount,
      queued: this.queuedCount,
      breaker: this.breaker.view(now),
      // A server-error pause, or the pacer holding every request until capacity returns.
      pausedUntil: Math.max(this.pausedUntil > now ? this.pausedUntil : 0, this.pacer.readyAt(now, 1)),
      pace: this.pacer.view(),
    };
  }

  /** The pacer holds requests to a rate (learned or told): a refused request's retry waits its turn here. */
  paced(): boolean {
    const pace = this.pacer.view();
    return pace.requestsPerSec !== undefined || pace.tokensPerSec !== undefined;
  }

  /** Open or half-open: nothing but the one probe goes out, so retries wait here rather than back off. */
  circuitOpen(): boolean {
    return this.breaker.view(this.deps.now()) !== 'closed';
  }

  snapshot(): AdmissionState {
    // The pacer's hold outlives a worker restart as a pause: the new worker knows no rate yet.
    const held = this.pacer.readyAt(this.deps.now(), 1);
    return {
      version: 1,
      concurrency: this.aimd.current,
      pausedUntil: Math.max(this.pausedUntil, held),
      pauseReason: held > this.pausedUntil ? 'rate_limited' : this.pauseReason,
      breaker: this.breaker.snapshot(),
      pace: definedRates(this.pacer.view()),
    };
  }

  restore(state: AdmissionState): void {
    this.aimd.restore(state.concurrency);
    if (state.pausedUntil > this.deps.now()) {
      this.pausedUntil = Math.min(state.pausedUntil, this.deps.now() + MAX_PAUSE_MS);
      this.pauseReason = state.pauseReason ?? 'rate_limited';
    }
    this.breaker.restore(state.breaker);
    if (state.pace) this.pacer.restore(state.pace);
    this.applyLimit();
    this.notify();
  }

  /** Waits until this request may be sent, then holds a slot for it. */
  async admit(req: AdmitRequest): Promise<Ticket> {
    const arrival = ++this.arrivals;
    this.queuedCount += 1;
    let queuedHere = true;
    const leaveQueue = (): void => {
      if (queuedHere) this.queuedCount -= 1;
      queuedHere = false;
    };
    let lastStatus = '';
    const say = (status: ClientStatus): void => {
      const key = JSON.stringify(status);
      if (key === lastStatus) return;
      lastStatus = key;
      req.onStatus?.(status);
    };
    try {
      for (;;) {
        if (req.signal.aborted) throw errors.aborted();
        const now = this.deps.now();
        if (this.stopped !== undefined && arrival <= this.stopped.upTo) throw this.stopped.error;

        if (this.pausedUntil > now) {
          if (this.pausedUntil >= req.deadline) throw this.pauseError(now);
          // Everyone released by the same pause would hit the server in the same millisecond.
          const until = Math.min(req.deadline, this.pausedUntil + this.deps.random() * this.options.resumeSpreadMs);
          say({ type: 'waiting', reason: this.pauseReason, until: Math.ceil(until), attempt: req.attempt });
          await this.waitUntil(until, req.signal, false);
          continue;
        }

        const ready = this.pacer.readyAt(now, req.tokens);
        if (ready > 0) {
          if (ready >= req.deadline) throw errors.rateLimited(undefined, ready - now);
          // Waiting for the server's next free turn is queueing, not a failure worth a banner; a
          // retry of a refused request is waiting out the rate limit.
          say(
            req.attempt > 1
              ? { type: 'waiting', reason: 'rate_limited', until: Math.ceil(ready), attempt: req.attempt }
              : { type: 'queued', reason: 'pacing', until: Math.ceil(ready) },
          );
          // Woken early by news (an answer resyncs the mirror, a quota stops the queue).
          await this.waitUntil(ready, req.signal, true);
          continue;
        }

        const gate = this.breaker.peek(now);
        if (!gate.pass) {
          if (now >= req.deadline) throw errors.circuitOpen(gate.until === undefined ? undefined : gate.until - now);
          const until = Math.min(req.deadline, gate.until ?? req.deadline);
          say({ type: 'waiting', reason: 'circuit_open', until, attempt: req.attempt });
          await this.waitUntil(until, req.signal, true);
          continue;
        }

        const release = await this.acquireSlot(req, () => {
          lastStatus = '';
          say({ type: 'queued', reason: 'slots', running: this.limit.activeCount, limit: this.limit.concurrency });
        });
        // While we queued, a pause may have begun, the breaker opened, or another request taken
        // the probe or the server's last free turn.
        const admittedAt = this.deps.now();
        const verdict =
          this.pausedUntil > admittedAt || this.pacer.readyAt(admittedAt, req.tokens) > 0 || (this.stopped !== undefined && arrival <= this.stopped.upTo)
            ? undefined
            : this.breaker.take(admittedAt);
        if (verdict === undefined || !verdict.pass) {
          release();
          continue;
        }
        leaveQueue();
        this.inFlightCount += 1;
        return this.ticket(verdict.probe, release, this.pacer.take(admittedAt, req.tokens));
      }
    } finally {
      leaveQueue();
    }
  }

  private ticket(probe: boolean, release: () => void, sent: Sent): Ticket {
    const epoch = this.aimd.epoch;
    let done = false;
    return {
      probe,
      finish: (outcome) => {
        if (done) return;
        done = true;
        this.inFlightCount -= 1;
        // Adjust the limit before freeing the slot, so the next request sees the new one.
        this.record(outcome, epoch, probe, sent);
        release();
      },
    };
  }

  private record(outcome: Outcome, epoch: number, probe: boolean, sent: Sent): void {
    const now = this.deps.now();
    const paceBefore = this.pacer.view();
    let changed = false;
    // The server counts a request on arrival, so what its headers say describes the moment it was sent.
    const limits = outcome.type !== 'cancelled' && outcome.headers ? readLimits(outcome.headers, sent.at) : undefined;
    if (outcome.type === 'success') {
      if (this.breaker.view(now) !== 'closed') this.aimd.onRecovery();
      const described = limits !== undefined && [limits.requests, limits.tokens].some((w) => w.remaining !== undefined || w.limit !== undefined);
      changed = this.aimd.onSuccess(limits?.requests.remaining === 0 || limits?.tokens.remaining === 0, described, now - sent.at) || changed;
      changed = this.breaker.onSuccess() || changed;
      this.pacer.admitted(sent, limits, now);
    } else if (outcome.type === 'cancelled') {
      if (probe) this.breaker.releaseProbe();
      this.pacer.settled(sent, now);
    } else {
      const { error } = outcome;
      if (error.kind === 'rate_limited') {
        const wait = outcome.headers && serverWait(outcome.headers, sent.at, error.status ?? 429);
        this.pacer.refused(sent, refusedWindow(error, limits), wait, now);
      }
      else this.pacer.settled(sent, now);
      switch (error.kind) {
        case 'rate_limited':
          // The pacer owns the rate; the window only stops doubling.
          this.aimd.onRateLimited();
          changed = true;
          // A 429 is the server answering: it is alive, just busy.
          changed = this.breaker.onSuccess() || changed;
          break;
        case 'quota':
          // No wait lifts it: everything already queued would go upstream only to learn the same.
          this.stopped = { error, upTo: this.arrivals };
          changed = this.breaker.onSuccess() || changed;
          break;
        case 'server':
          if (error.status === 503) changed = this.aimd.on503(epoch) || changed;
          else this.aimd.onOther();
          changed = this.breaker.onFailure(now, probe) || changed;
          changed = this.pause(error, 'server_error', now) || changed;
          break;
        case 'timeout':
          if (error.timeoutPhase === 'deadline') {
            // The caller's budget ran out; that says nothing about the server.
            if (probe) this.breaker.releaseProbe();
            break;
          }
          changed = this.aimd.onLoss(epoch) || changed;
          changed = this.breaker.onFailure(now, probe) || changed;
          break;
        case 'network':
        case 'stream_cut':
          this.aimd.onOther();
          changed = this.breaker.onFailure(now, probe) || changed;
          break;
        case 'aborted':
        case 'bad_response':
        case 'circuit_open':
          // No verdict on the upstream: a cancel, or an answer from something that is not it.
          if (probe) this.breaker.releaseProbe();
          break;
        default:
          // 4xx: the server is up and answering.
          this.aimd.onOther();
          changed = this.breaker.onSuccess() || changed;
      }
    }
    this.applyLimit();
    const paceAfter = this.pacer.view();
    changed ||= paceAfter.requestsPerSec !== paceBefore.requestsPerSec || paceAfter.tokensPerSec !== paceBefore.tokensPerSec;
    if (changed) this.deps.onStateChange();
    // Waiters re-check: a slot, the pace, the probe or a stop may have changed.
    this.notify();
  }

  private pause(error: LlmError, reason: PauseReason, now: number): boolean {
    if (error.retryAfterMs === undefined || error.retryAfterMs <= 0) return false;
    const until = now + Math.min(error.retryAfterMs, MAX_PAUSE_MS);
    if (until <= this.pausedUntil) return false;
    this.pausedUntil = until;
    this.pauseReason = reason;
    return true;
  }

  private pauseError(now: number): LlmError {
    const waitMs = this.pausedUntil - now;
    return this.pauseReason === 'rate_limited' ? errors.rateLimited(undefined, waitMs) : errors.server(undefined, undefined, waitMs);
  }

  private applyLimit(): void {
    if (this.limit.concurrency !== this.aimd.current) this.limit.concurrency = this.aimd.current;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves at `until`, or on a state change if `wakeOnChange`; rejects when `signal` aborts. */
  private waitUntil(until: number, signal: AbortSignal, wakeOnChange: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = new AbortController();
      const cleanup = (): void => {
        timer.abort();
        signal.removeEventListener('abort', onAbort);
        this.listeners.delete(done);
      };
      const done = (): void => {
        cleanup();
        resolve();
      };
      const onAbort = (): void => {
        cleanup();
        reject(errors.aborted());
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      if (wakeOnChange) this.listeners.add(done);
      this.deps.sleep(Math.max(0, until - this.deps.now()), timer.signal).then(done, () => undefined);
    });
  }

  /**
   * A p-limit slot, held until the returned release is called. A request that gives up while
   * queued (abort, deadline) cannot be taken out of p-limit's queue, so its turn, when it comes,
   * returns the slot at once.
   */
  private acquireSlot(req: AdmitRequest, onQueued: () => void): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (req.signal.aborted) {
        reject(errors.aborted());
        return;
      }
      let waiting = true;
      const timer = new AbortController();
      const giveUp = (error: LlmError): void => {
        if (!waiting) return;
        waiting = false;
        cleanup();
        reject(error);
      };
      const onAbort = (): void => giveUp(errors.aborted());
      const cleanup = (): void => {
        req.signal.removeEventListener('abort', onAbort);
        timer.abort();
      };
      const mustQueue = this.limit.activeCount >= this.limit.concurrency || this.limit.pendingCount > 0;
      req.signal.addEventListener('abort', onAbort, { once: true });
      void this.limit(() => {
        if (!waiting) return undefined;
        waiting = false;
        cleanup();
        return new Promise<void>((release) => {
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            release();
          });
        });
      });
      if (mustQueue && waiting) {
        onQueued();
        this.deps
          .sleep(Math.max(0, req.deadline - this.deps.now()), timer.signal)
          .then(() => giveUp(errors.timeout('deadline', req.deadlineMs)), () => undefined);
      }
    });
  }
}

function definedRates(view: PacerView): AdmissionState['pace'] {
  const pace: NonNullable<AdmissionState['pace']> = {};
  if (view.requestsPerSec !== undefined) pace.requestsPerSec = view.requestsPerSec;
  if (view.tokensPerSec !== undefined) pace.tokensPerSec = view.tokensPerSec;
  return pace;
}

/** Which bucket a 429 was for: the one its headers show empty, else what its message names; requests by default. */
function refusedWindow(error: LlmError, limits: LimitReport | undefined): WindowName {
  if (limits?.tokens.remaining === 0 && limits.requests.remaining !== 0) return 'tokens';
  if (limits?.requests.remaining === 0) return 'requests';
  return /\btokens? per min|\bTPM\b|input tokens|output tokens/i.test(`${error.detail ?? ''}`) ? 'tokens' : 'requests';
}
