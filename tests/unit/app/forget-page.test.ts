// "Forget this page" removes every copy of the page: no table and no export keeps its text or URL.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMockLlm, type MockLlm } from '../../support/mock-llm';
import { follow, twoTabs } from './core-harness';
import { tabSender } from './fake-platform';

let mock: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm({ reply: 'Your balance is 1234.' });
});
afterAll(() => mock.close());

it('deletes the summaries, the follow-up thread, popup chats about the page and their cached answers; the audit keeps hashes only', async () => {
  const { precis, value, env, tabs, victim, attacker, summary } = await twoTabs(mock.baseUrl);
  // A second summary of the same page (a fragment is the same page), and one of another page that stays.
  const again = await value<{ jobId: string }>({ type: 'summarise.thisTab', regenerate: true }, { ...victim, tab: { id: 1, url: 'https://bank.example/statement#top' } });
  await follow(precis, again.jobId);
  const other = await value<{ jobId: string }>({ type: 'summarise.thisTab', regenerate: false }, attacker);
  await follow(precis, other.jobId);
  const before = JSON.stringify(await value({ type: 'privacy.export' }));
  expect(before).toContain('bank.example');
  expect(before).toContain('Balance 1234');

  const result = await value<{ removed: Record<string, number> }>({ type: 'job.forget', jobId: summary.jobId }, victim);
  expect(result.removed).toMatchObject({ jobs: 4, conversations: 2, cacheEntries: 1 });

  const exported = JSON.stringify(await value({ type: 'privacy.export' }));
  for (const trace of ['bank.example', 'Balance 1234', 'What is my balance', 'About this page']) expect(exported).not.toContain(trace);
  for (const table of env.platform.db.tables) {
    const rows = JSON.stringify(await table.toArray());
    expect(rows, table.name).not.toContain('bank.example');
    expect(rows, table.name).not.toContain('Balance 1234');
  }
  // The other page is untouched; the audit line names hashes and the reason, nothing of the page.
  expect(exported).toContain('evil.example');
  const audit = await env.platform.db.audit.toArray();
  expect(audit.at(-1)).toMatchObject({ action: 'forget', reason: 'user: forget this page', hashes: expect.arrayContaining([expect.stringMatching(/^[0-9a-f]{64}$/)]) });
  expect(await value({ type: 'chat.forPage' }, tabSender(tabs[0]!))).toBeUndefined();
  expect(await value({ type: 'chat.list' })).toEqual([]);
});
