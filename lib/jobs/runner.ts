// Runs summary/chat jobs and fans their progress out to any number of views. Views come and go
// (a popup closes, a sidebar reloads); the job does not care. The store keeps what a later view,
// or a restarted worker, needs to see.
import type { ChatOptions, ChatRequest, ChatResult, ClientStatus, Usage } from '../llm/types';
import type { JobPortMessage } from '../app/tab-protocol';
import type { JobView } from './job-view';
import type { TimedPassage } from '../extract/video/transcript';
import { describeError } from '../errors';
import { isLive } from './job-view';
import type { Progress } from './map-reduce';
import { addCallUsage } from './usage';

export interface JobRecord extends JobView {
  updatedAt: number;
  /** Cache keys of every model call behind this job: what "forget this page" forgets. */
  requestHashes: string[];
  /** What the job was started from, so that a worker that died under it can start it again. */
  source?: JobSource;
  /** A PDF's pages' opening words, page n's at n − 1: a page citation's hover text (not sent with every view). */
  pageOpenings?: string[];
  /** A video's transcript paragraphs: a time citation's hover text, kept here to outlive the tab's reader (a reload ends it). */
  videoPassages?: TimedPassage[];
}

/** A summary of the page in a tab, or the answer to a conversation's last question. */
export type JobSource =
  /**
   * `format: 'pdf'`: the PDF at `url` (the tab's, or a file the user picked in the side panel).
   * `file`: the picked file's name; its `url` is a blob: that dies with the panel that made it.
   */
  | { kind: 'page'; tabId: number; url: string; format?: 'pdf'; file?: string }
  /** `followUpOf`: the page whose sidebar thread this is (its owner), as on the conversation. */
  | { kind: 'conversation'; conversationId: string; followUpOf?: string };

export interface JobStore {
  put(job: JobRecord): Promise<void>;
  get(id: string): Promise<JobRecord | undefined>;
  /** Jobs whose status says they were still running. */
  unfinished(): Promise<JobRecord[]>;
}

export interface JobChatOptions extends ChatOptions {
  regenerate?: boolean;
  cachePolicy?: 'summary' | 'chat';
}

/** The LLM client, usually behind the response cache, which adds `hash` and `cached`. */
export interface ChatClient {
  chat(req: ChatRequest, opts?: JobChatOptions): Promise<ChatResult & { hash?: string; model?: string; cached?: { at: number; usage?: Usage } }>;
}

/** What a job's body gets: the client bound to this job, and where its output goes. */
export interface JobIo {
  signal: AbortSignal;
  /** A model call on behalf of the job; pass `onDelta: io.onDelta` for the call whose text is the answer. */
  chat(req: ChatRequest, opts?: ChatOptions): ReturnType<ChatClient['chat']>;
  onDelta(text: string): void;
  onStatus(status: ClientStatus): void;
  onProgress(progress: Progress): void;
  /** What the job learnt about its source while running (a PDF's pages, once read). */
  describe(facts: Pick<JobRecord, 'pdf' | 'pageOpenings'>): void;
}

export interface JobRunnerDeps {
  store: JobStore;
  client: ChatClient;
  now?: () => number;
  newId?: () => string;
  /** Streamed text is persisted at most this often: a write per token would cost more than the stream. */
  flushMs?: number;
  /** A failed write must not kill the stream the user is watching; it is reported here instead. */
  onStoreError?: (err: unknown) => void;
}

export interface StartJob {
  kind: JobRecord['kind'];
  title: string;
  titleDir?: JobRecord['titleDir'];
  origin?: JobRecord['origin'];
  offline?: JobRecord['offline'];
  citations?: JobRecord['citations'];
  coverage?: JobRecord['coverage'];
  video?: boolean;
  videoRef?: JobRecord['videoRef'];
  videoPassages?: JobRecord['videoPassages'];
  /** Bypass the cache and replace what it holds. */
  regenerate?: boolean;
  source?: JobSource;
  run(io: JobIo): Promise<unknown>;
}

type Listener = (msg: JobPortMessage) => void;

interface LiveJob {
  record: JobRecord;
  controller: AbortController;
  listeners: Set<Listener>;
  flushTimer?: ReturnType<typeof setTimeout>;
  finished: Promise<void>;
}

export function toJobView(record: JobRecord): JobView {
  const { updatedAt: _u, requestHashes: _h, source: _s, pageOpenings: _p, videoPassages: _v, ...view } = record;
  return view;
}

export function createJobRunner(deps: JobRunnerDeps) {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const flushMs = deps.flushMs ?? 250;
  const live = new Map<string, LiveJob>();
  const onStoreError = deps.onStoreError ?? ((err: unknown) => console.warn('Precis: could not save a job', err));

  function broadcast(job: LiveJob, msg: JobPortMessage) {
    for (const listener of job.listeners) listener(msg);
  }

  function persistSoon(job: LiveJob) {
    if (job.flushTimer) return;
    job.flushTimer = setTimeout(() => {
      job.flushTimer = undefined;
      deps.store.put({ ...job.record }).catch(onStoreError);
    }, flushMs);
  }

  async function persistNow(job: LiveJob) {
    if (job.flushTimer) clearTimeout(job.flushTimer);
    job.flushTimer = undefined;
    await deps.store.put({ ...job.record }).catch(onStoreError);
  }

  function update(job: LiveJob, patch: Partial<JobRecord>) {
    const t = now();
    const since = patch.status !== undefined && patch.status !== job.record.status ? { statusSince: t } : {};
    job.record = { ...job.record, waitUntil: undefined, waitReason: undefined, slots: undefined, ...patch, ...since, updatedAt: t };
    broadcast(job, { type: 'status', job: toJobView(job.record) });
  }

  function io(job: LiveJob, input: StartJob): JobIo {
    const bound = { regenerate: input.regenerate ?? false, cachePolicy: input.kind };
    const jobIo: JobIo = {
      signal: job.controller.signal,
      async chat(req, opts = {}) {
        const result = await deps.client.chat(req, {
          signal: job.controller.signal,
          onStatus: jobIo.onStatus,
          ...opts,
          ...bound,
        });
        if (result.hash) job.record.requestHashes = [...new Set([...job.record.requestHashes, result.hash])];
        // Every call counts, map and reduce alike; views see the sum with the job's next change.
        const usage = addCallUsage(job.record.usage, result);
        if (usage) job.record.usage = usage;
        // The call that streams the answer decides whether the answer the user sees is a replay.
        if (opts.onDelta && result.cached) update(job, { cachedAt: result.cached.at });
        return result;
      },
      onDelta(text) {
        if (job.record.status !== 'running') update(job, { status: 'running' });
        job.record.text += text;
        broadcast(job, { type: 'delta', text });
        persistSoon(job);
      },
      onStatus(status) {
        if (status.type === 'waiting') {
          update(job, { status: 'waiting', waitUntil: status.until, waitReason: status.reason });
        } else if (status.type === 'queued') {
          const { reason, until, running, limit } = status;
          update(job, {
            status: 'queued',
            ...(reason && { waitReason: reason }),
            ...(until !== undefined && { waitUntil: until }),
            ...(running !== undefined && limit !== undefined && { slots: { running, limit } }),
          });
        } else if (job.record.status !== 'running') {
          update(job, { status: 'running' });
        } else {
          return;
        }
        void persistNow(job);
      },
      onProgress(progress) {
        update(job, { status: job.record.status === 'queued' ? 'running' : job.record.status, progress });
        persistSoon(job);
      },
      describe(facts) {
        update(job, facts);
        persistSoon(job);
      },
    };
    return jobIo;
  }

  async function run(job: LiveJob, input: StartJob) {
    try {
      await persistNow(job);
      await input.run(io(job, input));
      update(job, { status: 'done' });
    } catch (err) {
      if (job.controller.signal.aborted) update(job, { status: 'stopped' });
      else update(job, { status: 'error', error: describeError(err) });
    } finally {
      await persistNow(job);
      live.delete(job.record.id);
    }
  }

  /** A fresh record for `input`; `previous` when the same job starts again in place. */
  function recordFor(input: StartJob, previous?: JobRecord): JobRecord {
    const t = now();
    return {
      id: previous?.id ?? newId(),
      kind: input.kind,
      title: input.title,
      ...(input.titleDir && { titleDir: input.titleDir }),
      ...(input.origin && { origin: input.origin }),
      ...(input.offline && { offline: input.offline }),
      ...(input.citations && { citations: input.citations }),
      ...(input.coverage && { coverage: input.coverage }),
      ...(input.video && { video: true }),
      ...(input.videoRef && { videoRef: input.videoRef }),
      ...(input.videoPassages && { videoPassages: input.videoPassages }),
      ...(input.source && { source: input.source }),
      status: 'queued',
      text: '',
      createdAt: previous?.createdAt ?? t,
      statusSince: t,
      ...(previous && { run: (previous.run ?? 0) + 1 }),
      updatedAt: t,
      requestHashes: previous?.requestHashes ?? [],
    };
  }

  function launch(record: JobRecord, input: StartJob): JobView {
    const job: LiveJob = { record, controller: new AbortController(), listeners: new Set(), finished: Promise.resolve() };
    live.set(record.id, job);
    job.finished = run(job, input);
    return toJobView(record);
  }

  return {
    /** Starts a job and returns at once; progress goes to the store and to subscribers. */
    start: (input: StartJob): JobView => launch(recordFor(input), input),

    /** Sends a snapshot first, then every change. Returns the unsubscribe function. */
    async subscribe(id: string, listener: Listener): Promise<() => void> {
      const job = live.get(id);
      if (job) {
        listener({ type: 'snapshot', job: toJobView(job.record) });
        job.listeners.add(listener);
        return () => job.listeners.delete(listener);
      }
      const stored = await deps.store.get(id);
      // A job can finish between the two look-ups: the store then has its final state.
      if (live.has(id)) return this.subscribe(id, listener);
      if (!stored) throw new Error(`No job ${id}`);
      // Stored as running but not running here: a previous worker died under it.
      const status = isLive(stored.status) ? 'interrupted' : stored.status;
      listener({ type: 'snapshot', job: toJobView({ ...stored, status }) });
      return () => {};
    },

    /** The stored record, for actions on a finished job (forget, regenerate). */
    get: (id: string) => (live.has(id) ? Promise.resolve({ ...live.get(id)!.record }) : deps.store.get(id)),

    stop(id: string): boolean {
      const job = live.get(id);
      if (!job) return false;
      job.controller.abort();
      return true;
    },

    /** Waits for a live job to settle (tests, shutdown). */
    async settled(id: string): Promise<void> {
      await live.get(id)?.finished;
    },

    /** Whether any job is streaming: the worker must stay alive until none is. */
    busy: () => live.size > 0,

    /**
     * After a worker restart nothing is live: any job the store still calls running was cut off.
     * `restart` says how to run it again, where that is safe; it then starts again in place (same
     * id, so a view that reconnects follows it). Otherwise it is `interrupted`, keeping its partial
     * text, and the view offers to resume. Returns how many of each.
     */
    async recover(restart: (record: JobRecord) => Promise<StartJob | undefined>): Promise<{ restarted: number; interrupted: number }> {
      const counts = { restarted: 0, interrupted: 0 };
      for (const record of await deps.store.unfinished()) {
        if (live.has(record.id)) continue;
        const input = await restart(record).catch(() => undefined);
        if (input) {
          launch(recordFor(input, record), input);
          counts.restarted += 1;
        } else {
          await deps.store.put({ ...record, status: 'interrupted', statusSince: now(), updatedAt: now() });
          counts.interrupted += 1;
        }
      }
      return counts;
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;
