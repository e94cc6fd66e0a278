// Runs summary/chat jobs against the LLM client and fans their progress out to any number of views.
// Views come and go (a popup closes, a sidebar reloads); the job does not care. The store keeps
// what a later view, or a restarted worker, needs to see.
import type { ChatOptions, ChatRequest, ChatResult, ClientStatus } from '../llm/types';
import type { JobPortMessage, JobStatus, JobView } from '../messages';
import { describeError } from './describe-error';

export interface JobRecord extends JobView {
  createdAt: number;
  updatedAt: number;
}

export interface JobStore {
  put(job: JobRecord): Promise<void>;
  get(id: string): Promise<JobRecord | undefined>;
  /** Jobs whose status says they were still running. */
  unfinished(): Promise<JobRecord[]>;
}

export interface ChatClient {
  chat(req: ChatRequest, opts?: ChatOptions): Promise<ChatResult>;
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

type Listener = (msg: JobPortMessage) => void;

interface LiveJob {
  record: JobRecord;
  controller: AbortController;
  listeners: Set<Listener>;
  flushTimer?: ReturnType<typeof setTimeout>;
  finished: Promise<void>;
}

/** Statuses that mean "a worker is working on it": after a restart, nobody is. */
export const unfinishedStatuses: JobStatus[] = ['queued', 'running', 'waiting'];

export function createJobRunner(deps: JobRunnerDeps) {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const flushMs = deps.flushMs ?? 250;
  const live = new Map<string, LiveJob>();
  const onStoreError = deps.onStoreError ?? ((err: unknown) => console.warn('Precis: could not save a job', err));

  function view(record: JobRecord): JobView {
    const { createdAt: _c, updatedAt: _u, ...rest } = record;
    return { ...rest };
  }

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

  function setStatus(job: LiveJob, patch: Partial<JobRecord>) {
    job.record = { ...job.record, waitUntil: undefined, waitReason: undefined, ...patch, updatedAt: now() };
    broadcast(job, { type: 'status', job: view(job.record) });
  }

  function onClientStatus(job: LiveJob, status: ClientStatus) {
    if (status.type === 'waiting') {
      setStatus(job, { status: 'waiting', waitUntil: status.until, waitReason: status.reason });
    } else if (status.type === 'queued') {
      setStatus(job, { status: 'queued' });
    } else if (job.record.status !== 'running') {
      setStatus(job, { status: 'running' });
    }
    void persistNow(job);
  }

  async function run(job: LiveJob, request: ChatRequest) {
    try {
      await persistNow(job);
      await deps.client.chat(request, {
        signal: job.controller.signal,
        onStatus: (s) => onClientStatus(job, s),
        onDelta: (text) => {
          if (job.record.status !== 'running') setStatus(job, { status: 'running' });
          job.record.text += text;
          broadcast(job, { type: 'delta', text });
          persistSoon(job);
        },
      });
      setStatus(job, { status: 'done' });
    } catch (err) {
      if (job.controller.signal.aborted) setStatus(job, { status: 'stopped' });
      else setStatus(job, { status: 'error', error: describeError(err) });
    } finally {
      await persistNow(job);
      live.delete(job.record.id);
    }
  }

  return {
    /** Starts a job and returns at once; progress goes to the store and to subscribers. */
    start(input: { kind: JobRecord['kind']; title: string; request: ChatRequest }): JobView {
      const t = now();
      const record: JobRecord = {
        id: newId(),
        kind: input.kind,
        title: input.title,
        status: 'queued',
        text: '',
        createdAt: t,
        updatedAt: t,
      };
      const job: LiveJob = { record, controller: new AbortController(), listeners: new Set(), finished: Promise.resolve() };
      live.set(record.id, job);
      job.finished = run(job, input.request);
      return view(record);
    },

    /** Sends a snapshot first, then every change. Returns the unsubscribe function. */
    async subscribe(id: string, listener: Listener): Promise<() => void> {
      const job = live.get(id);
      if (job) {
        listener({ type: 'snapshot', job: view(job.record) });
        job.listeners.add(listener);
        return () => job.listeners.delete(listener);
      }
      const stored = await deps.store.get(id);
      // A job can finish between the two look-ups: the store then has its final state.
      const again = live.get(id);
      if (again) return this.subscribe(id, listener);
      if (!stored) throw new Error(`No job ${id}`);
      listener({ type: 'snapshot', job: view(stored) });
      return () => {};
    },

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

    /**
     * After a worker restart nothing is live: any job the store still calls running was cut off.
     * Mark it `interrupted`, keeping its partial text, so the view can offer to resume.
     */
    async markInterrupted(): Promise<number> {
      const stale = (await deps.store.unfinished()).filter((r) => !live.has(r.id));
      for (const r of stale) await deps.store.put({ ...r, status: 'interrupted', updatedAt: now() });
      return stale.length;
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;
