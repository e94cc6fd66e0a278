// The application core end to end, as the background drives it: messages through the doors, jobs
// followed over ports, pages read through fake tabs, and a real HTTP model server on 127.0.0.1.
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobRecord } from '../../../lib/jobs/runner';
import { startMockLlm, type MockLlm } from '../../support/mock-llm';
import { follow, saveProviderAt, setUpCore } from './core-harness';
import { article, fakePort, pageSender, self, tab, tabSender, type FakeTab } from './fake-platform';

const text = 'Night trains are back in Europe. Operators added twelve routes this year. Demand doubled since 2020, and tickets sell out weeks ahead.';

let mock: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm({ reply: 'A short summary of the page.' });
});
afterAll(() => mock.close());
afterEach(() => mock.reset());

const setUp = (tabs: FakeTab[] = [tab(1, 'https://news.example/trains', article(text))], readManaged?: () => Promise<unknown>) => setUpCore(tabs, undefined, readManaged);
const saveProvider = (value: ReturnType<typeof setUp>['value']) => saveProviderAt(value, mock.baseUrl);

describe('summarise page', () => {
  it('with no provider yet, writes the offline summary into the sidebar without a request', async () => {
    const { precis, value, tabs } = setUp();
    const outcome = await value<{ ok: true; jobId: string }>({ type: 'summarise.activeTab' });
    expect(outcome.ok).toBe(true);
    expect(tabs[0]!.sidebarShown).toBe(1);
    expect(await value({ type: 'sidebar.content' }, tabSender(tabs[0]!))).toEqual({ jobId: outcome.jobId });
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
    const publicSettings = await value<object>({ type: 'settings.get' });
    expect(Object.keys(publicSettings).sort()).toEqual(
      ['configured', 'hasKey', 'headerNames', 'keyMask', 'locked', 'model', 'passphraseProtected', 'presetId', 'baseUrl', 'kind'].filter((k) => k in publicSettings).sort(),
    );
    expect(publicSettings).not.toHaveProperty('apiKey');
    expect(JSON.stringify(publicSettings)).not.toContain('sk-core-test');
  });

  it("gives the job the direction of the page's title, which the sidebar shows it in (issue 15)", async () => {
    const { precis, value } = setUp([tab(1, 'https://news.example/trains', article(text, { title: 'عودة قطارات الليل', dir: 'rtl' }))]);
    const outcome = await value<{ jobId: string }>({ type: 'summarise.activeTab' });
    expect(await follow(precis, outcome.jobId)).toMatchObject({ title: 'عودة قطارات الليل', titleDir: 'rtl' });
  });

  it('keeps the worker awake while a summary streams', async () => {
    const { precis, value, env } = setUp();
    await saveProvider(value);
    const outcome = await value<{ jobId: string }>({ type: 'summarise.activeTab' });
    await follow(precis, outcome.jobId);
    expect(env.keepAlives).toContain(true);
  });

  it('a view that closes its port before the subscription lands gets nothing more', async () => {
    const { precis, value } = setUp();
    await saveProvider(value);
    mock.set({ tokenDelayMs: 5 });
    const outcome = await value<{ jobId: string }>({ type: 'summarise.activeTab' });
    const early = fakePort(`job:${outcome.jobId}`);
    precis.connect(early.port, pageSender);
    early.close();
    await follow(precis, outcome.jobId);
    // At most the snapshot sent while subscribing; none of the deltas after.
    expect(early.posted.length).toBeLessThanOrEqual(1);
  });

  it('refuses built-in pages with a clear message and no sidebar', async () => {
    const { value, tabs } = setUp([tab(1, 'chrome://settings/')]);
    const outcome = await value({ type: 'summarise.activeTab' });
    expect(outcome).toMatchObject({ ok: false, kind: 'restricted_page', message: expect.stringContaining('Precis cannot read this page') });
    expect(tabs[0]!.sidebarShown).toBe(0);
  });

  it('tells an empty page so in the sidebar, before any job or request', async () => {
    const { value, tabs } = setUp([tab(1, 'https://img.example/', article('  \n '))]);
    await saveProvider(value);
    const outcome = await value({ type: 'summarise.activeTab' });
    expect(outcome).toMatchObject({ ok: false, kind: 'empty_page' });
    expect(await value({ type: 'sidebar.content' }, tabSender(tabs[0]!))).toEqual({ error: { kind: 'empty_page', message: expect.stringContaining('no readable text') } });
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
    expect(await value({ type: 'sidebar.content' }, tabSender(tabs[1]!))).toEqual({ jobId: again.jobId });
    // Each frame learns only its own tab's sidebar, and only while the tab shows that page.
    expect(await value({ type: 'sidebar.content' }, tabSender(tabs[0]!))).toEqual({ jobId: first.jobId });
    expect(await value({ type: 'sidebar.content' }, { ...tabSender(tabs[1]!), tab: { id: 2, url: 'https://other.example/elsewhere' } })).toBeUndefined();
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
    const summary = await value<{ jobId: string }>({ type: 'summarise.thisTab', regenerate: false }, tabSender(tabs[1]!));
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

  it('keeps a sidebar’s thread with its page: it comes back with the page, stays out of the popup, and only that page may continue it', async () => {
    const tabs = [tab(1, 'https://news.example/trains', article(text)), tab(2, 'https://other.example/', article('Other.', { url: 'https://other.example/' }))];
    const { precis, value, ask } = setUp(tabs);
    await saveProvider(value);
    const summary = await value<{ jobId: string }>({ type: 'summarise.activeTab' });
    await follow(precis, summary.jobId);
    const started = await value<{ conversationId: string; jobId: string }>(
      { type: 'chat.send', text: 'Which routes?', attachPage: true, afterSummaryJobId: summary.jobId },
      tabSender(tabs[0]!),
    );
    await follow(precis, started.jobId);
    // The same page again (a fragment is the same page): the thread is there.
    const again = { id: self.id, url: 'https://news.example/trains#costs', tab: { id: 1, url: 'https://news.example/trains#costs' } };
    expect(await value({ type: 'chat.forPage' }, again)).toMatchObject({ id: started.conversationId, followUpOf: 'https://news.example/trains' });
    expect(await value({ type: 'chat.forPage' }, tabSender(tabs[1]!))).toBeUndefined();
    expect(await value({ type: 'chat.list' })).toEqual([]);
    // Another page's sidebar may neither continue nor retry it.
    for (const request of [
      { type: 'chat.send', conversationId: started.conversationId, text: 'More?', attachPage: true },
      { type: 'chat.retry', conversationId: started.conversationId },
    ]) {
      expect(await ask(request, tabSender(tabs[1]!))).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    }
    const retried = await value<{ jobId: string }>({ type: 'chat.retry', conversationId: started.conversationId }, tabSender(tabs[0]!));
    expect(await follow(precis, retried.jobId)).toMatchObject({ status: 'done' });
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

describe('library', () => {
  it('lists, finds, exports and deletes summaries and chats through the doors, with the model and tokens behind them', async () => {
    const { precis, value, ask, tabs } = setUp();
    await saveProvider(value);
    const summary = await value<{ jobId: string }>({ type: 'summarise.activeTab' });
    const done = await follow(precis, summary.jobId);
    expect(done.usage).toMatchObject({ model: 'gpt-4o-mini', promptTokens: expect.any(Number), completionTokens: expect.any(Number) });
    expect(done.usage!.promptTokens).toBeGreaterThan(0);
    const chat = await value<{ conversationId: string; jobId: string }>({ type: 'chat.send', text: 'Which routes?', attachPage: false });
    await follow(precis, chat.jobId);
    const conversation = await value<{ turns: { usage?: { model?: string } }[] }>({ type: 'chat.get', conversationId: chat.conversationId });
    // The turn keeps its tokens, so an earlier answer shows them without its job.
    expect(conversation.turns[1]!.usage?.model).toBe('gpt-4o-mini');

    const listing = await value<{ entries: { id: string; kind: string; model?: string }[]; sites: string[] }>({ type: 'library.list' });
    expect(listing.entries.map((e) => [e.id, e.kind, e.model])).toEqual([
      [`chat:${chat.conversationId}`, 'chat', 'gpt-4o-mini'],
      [`summary:${summary.jobId}`, 'summary', 'gpt-4o-mini'],
    ]);
    expect(listing.sites).toEqual(['news.example']);
    const found = await value<{ entries: { id: string }[] }>({ type: 'library.list', text: 'short summ', kind: 'summary' });
    expect(found.entries.map((e) => e.id)).toEqual([`summary:${summary.jobId}`]);
    const file = await value<{ markdown: string }>({ type: 'library.markdown', id: `summary:${summary.jobId}` });
    expect(file.markdown).toContain('url: "https://news.example/trains"');
    await value({ type: 'library.delete', id: `summary:${summary.jobId}` });
    expect(await value({ type: 'library.get', id: `summary:${summary.jobId}` })).toBeUndefined();
    // Only extension pages reach the library; a malformed id is refused at the door.
    expect(await ask({ type: 'library.list' }, tabSender(tabs[0]!))).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await ask({ type: 'library.get', id: 'jobs' })).toMatchObject({ ok: false, error: { kind: 'invalid_message' } });
  });
});

describe('a worker that died under a job', () => {
  /** A job record as a dead worker left it: still running, with what it was started from. */
  const leftRunning = (id: string, extra: Pick<JobRecord, 'kind'> & Partial<JobRecord>): JobRecord => ({
    id,
    title: 'Night trains are back',
    status: 'running' as const,
    text: 'A short sum',
    createdAt: 1,
    statusSince: 1,
    updatedAt: 1,
    requestHashes: [],
    ...extra,
  });

  it('starts a summary again in place while its tab shows the same page', async () => {
    const { precis, value, env } = setUp();
    await saveProvider(value);
    await env.platform.db.jobs.put(leftRunning('cut', { kind: 'summary', origin: {}, source: { kind: 'page', tabId: 1, url: 'https://news.example/trains' } }));
    await precis.recover();
    expect(await follow(precis, 'cut')).toMatchObject({ status: 'done', text: 'A short summary of the page.', run: 1 });
    expect(env.keepAlives).toContain(true);
  });

  it('leaves it interrupted, with its text, when the tab moved on or closed', async () => {
    const { precis, value, env } = setUp([tab(1, 'https://news.example/elsewhere', article(text))]);
    await saveProvider(value);
    await env.platform.db.jobs.put(leftRunning('moved', { kind: 'summary', source: { kind: 'page', tabId: 1, url: 'https://news.example/trains' } }));
    await env.platform.db.jobs.put(leftRunning('closed', { kind: 'summary', source: { kind: 'page', tabId: 9, url: 'https://news.example/trains' } }));
    await precis.recover();
    expect(await follow(precis, 'moved')).toMatchObject({ status: 'interrupted', text: 'A short sum' });
    expect(await follow(precis, 'closed')).toMatchObject({ status: 'interrupted' });
    expect(mock.completions()).toHaveLength(0);
  });

  it('answers a chat question again into the same turn', async () => {
    const { precis, value, env } = setUp();
    await saveProvider(value);
    await env.platform.db.conversations.put({
      id: 'c1',
      title: 'Why?',
      createdAt: 1,
      updatedAt: 1,
      turns: [
        { role: 'user', content: 'Why are night trains back?', at: 1 },
        { role: 'assistant', content: '', at: 2, jobId: 'answer' },
      ],
    });
    await env.platform.db.jobs.put(leftRunning('answer', { kind: 'chat', source: { kind: 'conversation', conversationId: 'c1' } }));
    await precis.recover();
    expect(await follow(precis, 'answer')).toMatchObject({ status: 'done', text: 'A short summary of the page.' });
    const conversation = await value<{ turns: { content: string }[] }>({ type: 'chat.get', conversationId: 'c1' });
    expect(conversation.turns.map((t) => t.content)).toEqual(['Why are night trains back?', 'A short summary of the page.']);
    expect(mock.completions()[0]!.body.messages.at(-1)).toEqual({ role: 'user', content: 'Why are night trains back?' });
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

  it('an install whose preferences answer late does not undo a custom prompt saved meanwhile', async () => {
    // Chrome's policy service still starting: every preferences read waits on storage.managed.
    let policyUp!: () => void;
    const up = new Promise<void>((resolve) => (policyUp = resolve));
    const { precis, env, value } = setUp(undefined, async () => (await up, {}));
    const installed = precis.onInstalled('install');
    await value({ type: 'prefs.save', patch: { customPrompts: [{ id: 'eli5', name: 'ELI5', template: 'Explain: {{selection}}' }] } });
    const changed = precis.onLocalStorageChanged({ preferences: { newValue: await env.platform.local.get('preferences'), oldValue: undefined } });
    policyUp();
    await Promise.all([installed, changed]);
    expect(env.menus.at(-1)?.map((m) => m.id)).toEqual(['summarise-page', 'summarise-selection', 'prompt:eli5']);
  });

  it('builds the menu without waiting for the policy service, and a change of surface rebuilds it at once', async () => {
    // Chrome 156 in some fresh profiles: storage.managed never answers (the core gives up on it
    // after policyPatienceMs, 10 s; the menu must not wait that long, nor at all).
    const { precis, env } = setUp(undefined, () => new Promise(() => {}));
    const ids = () => env.menus.at(-1)?.map((m) => m.id);
    void precis.onInstalled('install');
    await vi.waitFor(() => expect(ids()).toEqual(['summarise-page', 'summarise-selection']), { timeout: 1000 });
    const oldValue = await env.platform.local.get('preferences');
    await env.platform.local.set('preferences', { ...(oldValue as object), summariseOpensIn: 'sidepanel' });
    void precis.onLocalStorageChanged({ preferences: { newValue: await env.platform.local.get('preferences'), oldValue } });
    await vi.waitFor(() => expect(ids()).toEqual(['panel:summarise-page', 'panel:summarise-selection']), { timeout: 1000 });
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
