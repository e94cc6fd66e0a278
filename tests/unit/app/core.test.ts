// The application core end to end, as the background drives it: messages through the doors, jobs
// followed over ports, pages read through fake tabs, and a real HTTP model server on 127.0.0.1.
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPrecis, type Precis } from '../../../lib/app/core';
import type { JobPortMessage } from '../../../lib/app/tab-protocol';
import type { JobView } from '../../../lib/jobs/job-view';
import { startMockLlm, type MockLlm } from '../../support/mock-llm';
import { article, fakePlatform, fakePort, fakeTabs, pageSender, self, tab, tabSender, type FakeTab } from './fake-platform';

const text = 'Night trains are back in Europe. Operators added twelve routes this year. Demand doubled since 2020, and tickets sell out weeks ahead.';

let mock: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm({ reply: 'A short summary of the page.' });
});
afterAll(() => mock.close());
afterEach(() => mock.reset());

function setUp(tabs: FakeTab[] = [tab(1, 'https://news.example/trains', article(text))]) {
  const fakes = fakeTabs(tabs);
  const env = fakePlatform(fakes);
  const precis = createPrecis(env.platform, self);
  const ask = async (request: unknown, sender: object = pageSender) => precis.handleMessage(request, sender);
  const value = async <T>(request: unknown, sender: object = pageSender) => {
    const reply = await ask(request, sender);
    if (!reply?.ok) throw new Error(`request failed: ${JSON.stringify(reply)}`);
    return reply.value as T;
  };
  return { precis, env, fakes, tabs, ask, value };
}

/** Follows a job over its port, as a view does, until it settles. */
function follow(precis: Precis, jobId: string): Promise<JobView> {
  const { port, posted } = fakePort(`job:${jobId}`);
  return new Promise((resolve) => {
    let job: JobView | undefined;
    port.postMessage = (raw) => {
      posted.push(raw);
      const msg = raw as JobPortMessage;
      if (msg.type === 'delta') job = job && { ...job, text: job.text + msg.text };
      else job = msg.type === 'status' && job ? { ...msg.job, text: job.text } : msg.job;
      if (!['queued', 'running', 'waiting'].includes(job!.status)) resolve(job!);
    };
    precis.connect(port, pageSender);
  });
}

const saveProvider = (value: ReturnType<typeof setUp>['value']) =>
  value({ type: 'settings.save', settings: { presetId: 'custom', baseUrl: mock.baseUrl, model: 'gpt-4o-mini', apiKey: 'sk-core-test-1234' } });

describe('summarise page', () => {
  it('with no provider yet, writes the offline summary into the sidebar without a request', async () => {
    const { precis, value, tabs } = setUp();
    const outcome = await value<{ ok: true; jobId: string }>({ type: 'summarise.activeTab' });
    expect(outcome.ok).toBe(true);
    expect(tabs[0]!.sidebar).toEqual([{ jobId: outcome.jobId }]);
    const job = await follow(precis, outcome.jobId);
    expect(job).toMatchObject({ status: 'done', offline: 'extractive' });
    // Made of the page's own sentences.
    expect(job.text).toContain('Demand doubled since 2020');
    expect(mock.completions()).toHaveLength(0);
  });

  it('streams the model’s summary, once: the second time comes from the cache', async () => {
    const { precis, value } = setUp();
    await saveProvider(value);
    const first = await value<{ ok: true; jobId: string }>({ type: 'summarise.activeTab' });
    expect(await follow(precis, first.jobId)).toMatchObject({ status: 'done', text: 'A short summary of the page.' });
    const second = await value<{ ok: true; jobId: string }>({ type: 'summarise.activeTab' });
    expect(await follow(precis, second.jobId)).toMatchObject({ status: 'done', text: 'A short summary of the page.', cachedAt: expect.any(Number) });
    expect(mock.completions()).toHaveLength(1);
    // The request carried the page and the key; the key never came back to a view.
    expect(JSON.stringify(mock.completions()[0]!.body)).toContain('twelve routes');
    expect(mock.completions()[0]!.headers.authorization).toBe('Bearer sk-core-test-1234');
    expect(JSON.stringify(await value({ type: 'settings.get' }))).not.toContain('sk-core-test');
  });

  it('refuses built-in pages with a clear message and no sidebar', async () => {
    const { value, tabs } = setUp([tab(1, 'chrome://settings/')]);
    const outcome = await value({ type: 'summarise.activeTab' });
    expect(outcome).toMatchObject({ ok: false, kind: 'restricted_page', message: expect.stringContaining('Precis cannot read this page') });
    expect(tabs[0]!.sidebar).toEqual([]);
  });

  it('tells an empty page so in the sidebar, before any job or request', async () => {
    const { value, tabs } = setUp([tab(1, 'https://img.example/', article('  \n '))]);
    await saveProvider(value);
    const outcome = await value({ type: 'summarise.activeTab' });
    expect(outcome).toMatchObject({ ok: false, kind: 'empty_page' });
    expect(tabs[0]!.sidebar).toEqual([{ error: { kind: 'empty_page', message: expect.stringContaining('no readable text') } }]);
    expect(mock.completions()).toHaveLength(0);
  });

  it('runs a custom prompt on the selection from the menu, and names a deleted prompt plainly', async () => {
    const asked: boolean[] = [];
    const { precis, value, env } = setUp([
      tab(1, 'https://news.example/trains', (useSelection) => (asked.push(useSelection), article('Twelve new routes.', { source: useSelection ? 'selection' : 'article' }))),
    ]);
    await saveProvider(value);
    await value({ type: 'prefs.save', patch: { customPrompts: [{ id: 'eli5', name: 'ELI5', template: 'Explain simply: {{selection}}' }] } });
    const outcome = await precis.onMenuClicked('prompt:eli5', { id: 1, url: 'https://news.example/trains' });
    expect(outcome).toMatchObject({ ok: true });
    await follow(precis, (outcome as { jobId: string }).jobId);
    expect(asked).toEqual([true]);
    expect(JSON.stringify(mock.completions()[0]!.body)).toContain('Explain simply: Twelve new routes.');
    expect(await precis.onMenuClicked('prompt:gone', { id: 1, url: 'https://news.example/trains' })).toMatchObject({ ok: false, kind: 'unknown_prompt' });
    // The menu follows the prompts.
    await precis.onLocalStorageChanged({ preferences: { newValue: await env.platform.local.get('preferences'), oldValue: undefined } });
    expect(env.menus.at(-1)?.map((m) => m.id)).toContain('prompt:eli5');
  });

  it('a sidebar can summarise only its own tab again, and Forget removes the cached answer', async () => {
    const tabs = [tab(1, 'https://news.example/trains', article(text)), tab(2, 'https://other.example/', article('Other page text here.', { url: 'https://other.example/' }))];
    const { precis, value, ask } = setUp(tabs);
    await saveProvider(value);
    const first = await value<{ jobId: string }>({ type: 'summarise.activeTab' });
    await follow(precis, first.jobId);
    const again = await value<{ ok: true; jobId: string }>({ type: 'summarise.thisTab', regenerate: false }, tabSender(tabs[1]!));
    await follow(precis, again.jobId);
    expect(tabs[1]!.sidebar).toEqual([{ jobId: again.jobId }]);
    expect(JSON.stringify(mock.completions()[1]!.body)).toContain('Other page text');
    const forgotten = await value<{ removed: { cacheEntries: number } }>({ type: 'job.forget', jobId: first.jobId }, tabSender(tabs[0]!));
    expect(forgotten.removed.cacheEntries).toBe(1);
    // A content script may not read settings or delete everything.
    expect(await ask({ type: 'settings.get' }, tabSender(tabs[0]!))).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await ask({ type: 'privacy.deleteAll' }, tabSender(tabs[0]!))).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
  });

  it('shows a wrong key as such, with the provider’s words', async () => {
    const { precis, value } = setUp();
    await saveProvider(value);
    mock.fail({ kind: 'status', status: 401 });
    const outcome = await value<{ jobId: string }>({ type: 'summarise.activeTab' });
    const job = await follow(precis, outcome.jobId);
    expect(job).toMatchObject({ status: 'error', error: { kind: 'auth' } });
  });
});

describe('chat', () => {
  it('answers in a persisted conversation, about the page when asked, and retries the last question', async () => {
    const { precis, value } = setUp();
    await saveProvider(value);
    const started = await value<{ conversationId: string; jobId: string }>({ type: 'chat.send', text: 'What changed this year?', attachPage: true });
    expect(await follow(precis, started.jobId)).toMatchObject({ status: 'done', kind: 'chat' });
    const conversation = await value<{ turns: { role: string; content: string }[]; page?: { url: string } }>({ type: 'chat.get', conversationId: started.conversationId });
    expect(conversation.page?.url).toBe('https://news.example/trains');
    expect(conversation.turns.map((t) => [t.role, t.content])).toEqual([
      ['user', 'What changed this year?'],
      ['assistant', 'A short summary of the page.'],
    ]);
    expect(JSON.stringify(mock.completions()[0]!.body)).toContain('twelve routes');
    const retried = await value<{ jobId: string }>({ type: 'chat.retry', conversationId: started.conversationId });
    await follow(precis, retried.jobId);
    expect((await value<{ turns: unknown[] }>({ type: 'chat.get', conversationId: started.conversationId })).turns).toHaveLength(2);
    expect(await value({ type: 'chat.list' })).toEqual([expect.objectContaining({ id: started.conversationId, aboutPage: 'Night trains are back' })]);
  });

  it('starts a sidebar follow-up from the summary, about the sidebar’s own tab', async () => {
    const tabs = [tab(1, 'https://news.example/trains', article(text)), tab(2, 'https://other.example/', article('The other page.', { url: 'https://other.example/' }))];
    const { precis, value } = setUp(tabs);
    await saveProvider(value);
    const summary = await value<{ jobId: string }>({ type: 'summarise.activeTab' });
    await follow(precis, summary.jobId);
    const started = await value<{ conversationId: string; jobId: string }>(
      { type: 'chat.send', text: 'And the second point?', attachPage: true, afterSummaryJobId: summary.jobId },
      tabSender(tabs[1]!),
    );
    await follow(precis, started.jobId);
    const conversation = await value<{ turns: { content: string; context?: boolean }[]; page?: { url: string } }>({ type: 'chat.get', conversationId: started.conversationId });
    expect(conversation.page?.url).toBe('https://other.example/');
    expect(conversation.turns.filter((t) => t.context).map((t) => t.content)).toEqual(['Summarise this page.', 'A short summary of the page.']);
  });

  it('says so when the page cannot be attached, or the conversation was deleted', async () => {
    const { ask, value } = setUp([tab(1, 'chrome://newtab/')]);
    await saveProvider(value);
    expect(await ask({ type: 'chat.send', text: 'Hi', attachPage: true })).toMatchObject({ ok: false, error: { kind: 'restricted_page' } });
    expect(await ask({ type: 'chat.send', text: 'Hi', attachPage: false, conversationId: 'gone' })).toMatchObject({
      ok: false,
      error: { kind: 'gone', message: 'That conversation was deleted.' },
    });
  });
});

describe('the worker', () => {
  it('warms the connection up at most every five minutes, and only with a provider', async () => {
    const { precis, value } = setUp();
    await precis.warmUp();
    expect(mock.requests).toHaveLength(0);
    await saveProvider(value);
    await precis.warmUp();
    await precis.warmUp();
    expect(mock.requests.filter((r) => r.path.endsWith('/models'))).toHaveLength(1);
  });

  it('builds the menus and the Origin rule on install', async () => {
    const { precis, env, value } = setUp();
    await saveProvider(value);
    await precis.onInstalled('install');
    expect(env.menus.at(-1)?.map((m) => m.id)).toEqual(['summarise-page', 'summarise-selection']);
    expect(env.originRules.at(-1)).toBe(mock.baseUrl);
  });

  it('opens the welcome page on install only, not on an update or a browser update', async () => {
    const { precis, env } = setUp();
    await precis.onInstalled('install');
    expect(env.welcomeOpened()).toBe(1);
    for (const reason of ['update', 'chrome_update', 'browser_update', 'shared_module_update']) await precis.onInstalled(reason);
    expect(env.welcomeOpened()).toBe(1);
    // An update still rebuilds what it may have changed.
    expect(env.menus).toHaveLength(5);
  });

  it("opens the welcome page for the popup's setup button", async () => {
    const { env, value } = setUp();
    await value({ type: 'welcome.open' });
    expect(env.welcomeOpened()).toBe(1);
  });

  it('ignores ports and messages from other extensions', async () => {
    const { precis } = setUp();
    const { port, disconnected } = fakePort('job:anything');
    precis.connect(port, { id: 'another-extension' });
    expect(disconnected()).toBe(true);
    expect(await precis.handleMessage({ type: 'settings.get' }, { id: 'another-extension' })).toBeUndefined();
  });
});
