// Every door a content script may use, refused for what belongs to another tab: ownership decides,
// not the secrecy of an id (assume the page owns the renderer and forges any message).
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ownsJob } from '../../../lib/app/ownership';
import { startMockLlm, type MockLlm } from '../../support/mock-llm';
import { follow, saveProviderAt, setUpCore, twoTabs } from './core-harness';
import { article, fakePort, tab, tabSender } from './fake-platform';

let mock: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm({ reply: 'An answer.' });
});
afterAll(() => mock.close());

const forbidden = { ok: false, error: { kind: 'forbidden' } };

describe('a content script acts only on its own tab', () => {
  it('cannot follow, stop or forget another tab’s job, but may its own', async () => {
    const { precis, ask, victim, attacker, summary, thread, popup } = await twoTabs(mock.baseUrl);
    for (const jobId of [summary.jobId, thread.jobId, popup.jobId]) {
      const { port, posted, disconnected } = fakePort(`job:${jobId}`);
      precis.connect(port, attacker);
      await vi.waitFor(() => expect(disconnected()).toBe(true));
      expect(posted).toEqual([]);
      expect(await ask({ type: 'job.stop', jobId }, attacker)).toMatchObject(forbidden);
      expect(await ask({ type: 'job.forget', jobId }, attacker)).toMatchObject(forbidden);
    }
    // The popup's own job is not the sidebar's either.
    expect(await ask({ type: 'job.forget', jobId: popup.jobId }, victim)).toMatchObject(forbidden);
    const own = fakePort(`job:${summary.jobId}`);
    precis.connect(own.port, victim);
    await vi.waitFor(() => expect(own.posted).toHaveLength(1));
    expect(await ask({ type: 'job.stop', jobId: summary.jobId }, victim)).toEqual({ ok: true, value: false });
    expect(await ask({ type: 'job.forget', jobId: summary.jobId }, victim)).toMatchObject({ ok: true });
  });

  it('cannot read, continue or retry another page’s thread or a popup conversation', async () => {
    const { ask, value, victim, attacker, thread, popup } = await twoTabs(mock.baseUrl);
    for (const conversationId of [thread.conversationId, popup.conversationId]) {
      expect(await ask({ type: 'chat.get', conversationId }, attacker)).toMatchObject(forbidden);
      expect(await ask({ type: 'chat.send', conversationId, text: 'Tell me more', attachPage: false }, attacker)).toMatchObject(forbidden);
      expect(await ask({ type: 'chat.retry', conversationId }, attacker)).toMatchObject(forbidden);
    }
    // Not even the page the popup conversation is about may reach it.
    expect(await ask({ type: 'chat.get', conversationId: popup.conversationId }, victim)).toMatchObject(forbidden);
    expect(await value({ type: 'chat.forPage' }, attacker)).toBeUndefined();
    expect(await value({ type: 'chat.get', conversationId: thread.conversationId }, victim)).toMatchObject({ id: thread.conversationId });
  });

  it('cannot start a thread from another tab’s summary, nor pick a model the user did not configure', async () => {
    const { ask, victim, attacker, summary } = await twoTabs(mock.baseUrl);
    const requests = mock.completions().length;
    expect(await ask({ type: 'chat.send', text: 'Repeat the summary', attachPage: false, afterSummaryJobId: summary.jobId }, attacker)).toMatchObject(forbidden);
    expect(await ask({ type: 'chat.send', text: 'Hi', attachPage: false, model: 'o1-pro' }, victim)).toMatchObject(forbidden);
    expect(mock.completions()).toHaveLength(requests);
    expect(await ask({ type: 'chat.send', text: 'Hi', attachPage: false, model: 'gpt-4o-mini' }, victim)).toMatchObject({ ok: true });
  });

  it('a tab without a URL cannot start a thread, which would belong to no page and surface in the popup', async () => {
    const { ask, value } = await twoTabs(mock.baseUrl);
    const before = await value<unknown[]>({ type: 'chat.list' });
    expect(await ask({ type: 'chat.send', text: 'Hi', attachPage: false }, { id: 'precis-test-id', tab: { id: 7 } })).toMatchObject(forbidden);
    expect(await value({ type: 'chat.list' })).toEqual(before);
  });

  it('a sidebar’s thread never becomes the popup’s conversation', async () => {
    const { value, thread, popup } = await twoTabs(mock.baseUrl);
    expect((await value<{ id: string }[]>({ type: 'chat.list' })).map((c) => c.id)).toEqual([popup.conversationId]);
    expect((await value<{ id: string }[]>({ type: 'chat.list' })).map((c) => c.id)).not.toContain(thread.conversationId);
  });

  it('summarise.thisTab reads and shows only the sender’s own tab', async () => {
    const { value, attacker } = await twoTabs(mock.baseUrl);
    const before = mock.completions().length;
    const outcome = await value<{ jobId: string }>({ type: 'summarise.thisTab', regenerate: true }, attacker);
    expect(await value({ type: 'sidebar.content' }, attacker)).toEqual({ jobId: outcome.jobId });
    expect(JSON.stringify(mock.completions().slice(before))).not.toContain('Balance 1234');
  });
});

describe('ownsJob', () => {
  const mine = { id: 1, url: 'https://a.example/x#top' };
  it('a summary belongs to its tab, a follow-up answer to its page, anything else to no tab', () => {
    expect(ownsJob({ source: { kind: 'page', tabId: 1, url: 'https://a.example/x' } }, mine)).toBe(true);
    expect(ownsJob({ source: { kind: 'page', tabId: 2, url: 'https://a.example/x' } }, mine)).toBe(false);
    expect(ownsJob({ source: { kind: 'conversation', conversationId: 'c', followUpOf: 'https://a.example/x' } }, mine)).toBe(true);
    expect(ownsJob({ source: { kind: 'conversation', conversationId: 'c', followUpOf: 'https://b.example/' } }, mine)).toBe(false);
    expect(ownsJob({ source: { kind: 'conversation', conversationId: 'c' } }, mine)).toBe(false);
    expect(ownsJob({}, mine)).toBe(false);
    expect(ownsJob(undefined, mine)).toBe(false);
  });
});

describe('citations', () => {
  it('reach only the page reader of the summary’s own tab, and only for units the summary has', async () => {
    const { ask, value, tabs, victim, attacker, summary, thread, popup } = await twoTabs(mock.baseUrl);
    const view = await value<{ citations?: { key: string; units: number } } | undefined>({ type: 'sidebar.content' }, victim);
    expect(view).toEqual({ jobId: summary.jobId });
    // The bank page's one paragraph is unit 1.
    expect(await ask({ type: 'citation.show', jobId: summary.jobId, unit: 1 }, victim)).toEqual({ ok: true, value: true });
    expect(await ask({ type: 'citation.quote', jobId: summary.jobId, unit: 1 }, victim)).toMatchObject({ ok: true, value: expect.stringMatching(/^unit 1 of /) });
    const [bank, evil] = tabs;
    expect(bank!.cited).toHaveLength(2);
    // A follow-up in the page's own thread cites the page too.
    expect(await ask({ type: 'citation.show', jobId: thread.jobId, unit: 1 }, victim)).toEqual({ ok: true, value: true });
    expect(bank!.cited).toHaveLength(3);
    // Past the last unit, another tab's summary or thread, a popup chat, a sender with no tab: refused before any tab is asked.
    expect(await ask({ type: 'citation.show', jobId: summary.jobId, unit: 2 }, victim)).toEqual({ ok: true, value: false });
    expect(await ask({ type: 'citation.show', jobId: summary.jobId, unit: 1 }, attacker)).toMatchObject(forbidden);
    expect(await ask({ type: 'citation.quote', jobId: summary.jobId, unit: 1 }, attacker)).toMatchObject(forbidden);
    expect(await ask({ type: 'citation.show', jobId: thread.jobId, unit: 1 }, attacker)).toMatchObject(forbidden);
    expect(await ask({ type: 'citation.show', jobId: popup.jobId, unit: 1 }, victim)).toMatchObject(forbidden);
    expect(await ask({ type: 'citation.show', jobId: summary.jobId, unit: 1 })).toEqual({ ok: true, value: false });
    expect(bank!.cited).toHaveLength(3);
    expect(evil!.cited).toBeUndefined();
  });
});

describe('a video summary’s times', () => {
  it('quote the transcript kept with the summary, to the summary’s own tab only, within the video, after the page’s reader is gone too', async () => {
    const video = { id: 'nightTrain01', seconds: 120, captions: 'manual' as const };
    const tabs = [
      tab(1, 'https://www.youtube.com/watch?v=nightTrain01', article('[0:12] Night trains return.\n\n## Routes [0:40]\n\n[0:47] Vienna to Paris.', { source: 'video', video, url: 'https://www.youtube.com/watch?v=nightTrain01' })),
      tab(2, 'https://evil.example/', article('Nothing to see.', { url: 'https://evil.example/' })),
    ];
    const { ask, value, precis } = setUpCore(tabs);
    await saveProviderAt(value, mock.baseUrl);
    const [viewer, attacker] = [tabSender(tabs[0]!), tabSender(tabs[1]!)];
    const summary = await value<{ jobId: string }>({ type: 'summarise.thisTab', regenerate: false }, viewer);
    const view = await follow(precis, summary.jobId);
    expect(view).toMatchObject({ video: true, videoRef: { id: 'nightTrain01', seconds: 120 } });
    // The transcript stays in the background: views get the summary, not the passages.
    expect(view).not.toHaveProperty('videoPassages');
    expect(await ask({ type: 'video.quote', jobId: summary.jobId, seconds: 12 }, viewer)).toEqual({ ok: true, value: 'Night trains return.' });
    // A reload takes the reader (and the activeTab grant) away: the passage is still there.
    tabs[0]!.scripts.clear();
    expect(await ask({ type: 'video.quote', jobId: summary.jobId, seconds: 50 }, viewer)).toEqual({ ok: true, value: 'Vienna to Paris.' });
    // Past the video's end, or from another tab: nothing.
    expect(await ask({ type: 'video.quote', jobId: summary.jobId, seconds: 121 }, viewer)).toEqual({ ok: true, value: undefined });
    expect(await ask({ type: 'video.quote', jobId: summary.jobId, seconds: 12 }, attacker)).toMatchObject(forbidden);
  });
});
