import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { dexieJobStore, openDb, type PrecisDb } from '../../../lib/db';
import { createJobRunner, type JobIo } from '../../../lib/jobs/runner';
import { LlmError } from '../../../lib/llm';
import type { ChatOptions, ChatRequest, ChatResult } from '../../../lib/llm/types';
import type { JobPortMessage } from '../../../lib/app/tab-protocol';

/** A client whose answer the test feeds piece by piece. */
function scriptedClient() {
  let opts: ChatOptions | undefined;
  let settle: { resolve: (r: ChatResult) => void; reject: (e: unknown) => void } | undefined;
  let started!: () => void;
  const calls: ChatRequest[] = [];
  const startedOnce = new Promise<void>((r) => (started = r));
  return {
    calls,
    started: startedOnce,
    client: {
      chat(req: ChatRequest, o?: ChatOptions) {
        calls.push(req);
        opts = o;
        started();
        return new Promise<ChatResult>((resolve, reject) => {
          settle = { resolve, reject };
          o?.signal?.addEventListener('abort', () => reject(new LlmError('aborted', 'Stopped')));
        });
      },
    },
    lastOptions: () => opts,
    emit: (text: string) => opts?.onDelta?.(text),
    status: (s: Parameters<NonNullable<ChatOptions['onStatus']>>[0]) => opts?.onStatus?.(s),
    finish: () => settle?.resolve({ text: '', finishReason: 'stop' }),
    fail: (err: unknown) => settle?.reject(err),
  };
}

let db: PrecisDb;
afterEach(async () => {
  db?.close();
  await db?.delete();
});

function setup() {
  db = openDb(`test-${Math.random()}`);
  const store = dexieJobStore(db);
  const scripted = scriptedClient();
  const runner = createJobRunner({ store, client: scripted.client, flushMs: 10 });
  return { store, scripted, runner };
}

const request: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };
const streamOnce = (io: JobIo) => io.chat(request, { onDelta: io.onDelta });

describe('job runner', () => {
  it('streams deltas to a subscriber and persists the finished text', async () => {
    const { scripted, runner, store } = setup();
    const job = runner.start({ kind: 'summary', title: 'Page', run: streamOnce });
    const seen: JobPortMessage[] = [];
    await runner.subscribe(job.id, (m) => seen.push(m));
    await scripted.started;
    scripted.emit('Hello ');
    scripted.emit('world');
    scripted.finish();
    await runner.settled(job.id);
    expect(seen[0]).toMatchObject({ type: 'snapshot', job: { status: 'queued', text: '' } });
    expect(seen.filter((m) => m.type === 'delta').map((m) => (m as { text: string }).text)).toEqual(['Hello ', 'world']);
    expect(seen.at(-1)).toMatchObject({ type: 'status', job: { status: 'done' } });
    expect(await store.get(job.id)).toMatchObject({ status: 'done', text: 'Hello world' });
  });

  it('gives a late subscriber the text so far, then the rest', async () => {
    const { scripted, runner } = setup();
    const job = runner.start({ kind: 'summary', title: 'Page', run: streamOnce });
    await scripted.started;
    scripted.emit('abc');
    const seen: JobPortMessage[] = [];
    await runner.subscribe(job.id, (m) => seen.push(m));
    scripted.emit('def');
    scripted.finish();
    await runner.settled(job.id);
    expect(seen[0]).toMatchObject({ type: 'snapshot', job: { text: 'abc' } });
    expect(seen[1]).toEqual({ type: 'delta', text: 'def' });
  });

  it('serves a finished job from the store after it leaves memory', async () => {
    const { scripted, runner } = setup();
    const job = runner.start({ kind: 'summary', title: 'Page', run: streamOnce });
    await scripted.started;
    scripted.emit('all of it');
    scripted.finish();
    await runner.settled(job.id);
    const seen: JobPortMessage[] = [];
    await runner.subscribe(job.id, (m) => seen.push(m));
    expect(seen).toEqual([{ type: 'snapshot', job: expect.objectContaining({ status: 'done', text: 'all of it' }) }]);
  });

  it('records a client error with its kind and message', async () => {
    const { scripted, runner, store } = setup();
    const job = runner.start({ kind: 'summary', title: 'Page', run: streamOnce });
    await scripted.started;
    scripted.fail(new LlmError('auth', 'The API key was rejected (401).', { status: 401 }));
    await runner.settled(job.id);
    expect(await store.get(job.id)).toMatchObject({
      status: 'error',
      error: { kind: 'auth', message: 'The API key was rejected (401).' },
    });
  });

  it('asks for the cache rules of its kind, bypassing the cache only when regenerating', async () => {
    const { scripted, runner } = setup();
    const job = runner.start({ kind: 'summary', title: 'Page', regenerate: true, run: streamOnce });
    await scripted.started;
    expect(scripted.lastOptions()).toMatchObject({ cachePolicy: 'summary', regenerate: true });
    scripted.finish();
    await runner.settled(job.id);
  });

  it('stop aborts the request and keeps the partial text', async () => {
    const { scripted, runner, store } = setup();
    const job = runner.start({ kind: 'summary', title: 'Page', run: streamOnce });
    await scripted.started;
    scripted.emit('partial');
    expect(runner.stop(job.id)).toBe(true);
    await runner.settled(job.id);
    expect(await store.get(job.id)).toMatchObject({ status: 'stopped', text: 'partial' });
  });

  it('shows waiting with the retry time while the client backs off', async () => {
    const { scripted, runner } = setup();
    const job = runner.start({ kind: 'summary', title: 'Page', run: streamOnce });
    const seen: JobPortMessage[] = [];
    await runner.subscribe(job.id, (m) => seen.push(m));
    await scripted.started;
    scripted.status({ type: 'waiting', reason: 'rate_limited', until: 12_345, attempt: 1 });
    expect(seen.at(-1)).toMatchObject({ type: 'status', job: { status: 'waiting', waitReason: 'rate_limited', waitUntil: 12_345 } });
    scripted.emit('x');
    expect(seen.at(-2)).toMatchObject({ type: 'status', job: { status: 'running' } });
    expect((seen.at(-2) as { job: { waitUntil?: number } }).job.waitUntil).toBeUndefined();
    scripted.finish();
    await runner.settled(job.id);
  });

  it('marks jobs left running by a dead worker as interrupted, keeping their text, unless they can start again', async () => {
    const { store } = setup();
    const base = { kind: 'summary' as const, title: 'P', createdAt: 1, updatedAt: 1, requestHashes: ['h1'] };
    await store.put({ ...base, id: 'old', status: 'running', text: 'half' });
    await store.put({ ...base, id: 'again', status: 'waiting', text: 'a third', run: 2 });
    await store.put({ ...base, id: 'fin', status: 'done', text: 'all' });
    const scripted = scriptedClient();
    const runner = createJobRunner({ store, client: scripted.client });
    const recovered = await runner.recover(async (record) =>
      record.id === 'again' ? { kind: 'summary', title: 'P', run: streamOnce } : undefined,
    );
    expect(recovered).toEqual({ restarted: 1, interrupted: 1 });
    expect(await store.get('old')).toMatchObject({ status: 'interrupted', text: 'half' });
    expect(await store.get('fin')).toMatchObject({ status: 'done' });
    // Started again in place: same id and start time, text from scratch, the run counted, the cache keys kept.
    await scripted.started;
    scripted.emit('whole answer');
    scripted.finish();
    await runner.settled('again');
    expect(await store.get('again')).toMatchObject({ status: 'done', text: 'whole answer', run: 3, createdAt: 1, requestHashes: ['h1'] });
  });

  it('a restart that fails to rebuild its job leaves it interrupted', async () => {
    const { store } = setup();
    await store.put({ id: 'x', kind: 'chat', title: 'P', status: 'running', text: 'so far', createdAt: 1, updatedAt: 1, requestHashes: [] });
    const runner = createJobRunner({ store, client: scriptedClient().client });
    expect(await runner.recover(() => Promise.reject(new Error('tab gone')))).toEqual({ restarted: 0, interrupted: 1 });
    expect(await store.get('x')).toMatchObject({ status: 'interrupted', text: 'so far' });
  });
});

describe('job runner after a worker restart', () => {
  it('a view subscribing to a job a dead worker left running sees it interrupted, with its text', async () => {
    const { store } = setup();
    await store.put({ id: 'cut', kind: 'summary', title: 'P', status: 'running', text: 'half of it', createdAt: 1, updatedAt: 1, requestHashes: [] });
    const fresh = createJobRunner({ store, client: scriptedClient().client });
    const seen: JobPortMessage[] = [];
    await fresh.subscribe('cut', (m) => seen.push(m));
    expect(seen).toEqual([{ type: 'snapshot', job: expect.objectContaining({ status: 'interrupted', text: 'half of it' }) }]);
  });
});
