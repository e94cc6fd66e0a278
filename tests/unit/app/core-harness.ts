// The core as the background drives it, for tests: messages through the doors, jobs followed over ports.
import { createPrecis, type Precis } from '../../../lib/app/core';
import type { JobPortMessage } from '../../../lib/app/tab-protocol';
import { isLive, type JobView } from '../../../lib/jobs/job-view';
import { article, fakePlatform, fakePort, fakeTabs, pageSender, self, tab, tabSender, type FakeTab } from './fake-platform';

/** `managed`: the administrator's policy, as storage.managed holds it; `readManaged`: how Chrome answers for it, when that is the point (late, never). */
export function setUpCore(tabs: FakeTab[], managed?: unknown, readManaged?: () => Promise<unknown>) {
  const fakes = fakeTabs(tabs);
  const env = fakePlatform(fakes);
  if (managed !== undefined) env.platform.managed = async () => managed;
  if (readManaged) env.platform.managed = readManaged;
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
export function follow(precis: Precis, jobId: string): Promise<JobView> {
  const { port, posted } = fakePort(`job:${jobId}`);
  return new Promise((resolve) => {
    let job: JobView | undefined;
    port.postMessage = (raw) => {
      posted.push(raw);
      const msg = raw as JobPortMessage;
      if (msg.type === 'delta') job = job && { ...job, text: job.text + msg.text };
      else job = msg.type === 'status' && job ? { ...msg.job, text: job.text } : msg.job;
      if (!isLive(job!.status)) resolve(job!);
    };
    precis.connect(port, pageSender);
  });
}

export const saveProviderAt = (value: ReturnType<typeof setUpCore>['value'], baseUrl: string, extra: object = {}) =>
  value({ type: 'settings.save', settings: { presetId: 'custom', baseUrl, model: 'gpt-4o-mini', apiKey: 'sk-core-test-1234', ...extra } });

/** A bank page (tab 1) with its summary, its follow-up thread and a popup conversation about it; another page in tab 2. */
export async function twoTabs(baseUrl: string) {
  const tabs = [
    tab(1, 'https://bank.example/statement', article('Balance 1234 on the statement.', { url: 'https://bank.example/statement' })),
    tab(2, 'https://evil.example/', article('Nothing to see.', { url: 'https://evil.example/' })),
  ];
  const core = setUpCore(tabs);
  await saveProviderAt(core.value, baseUrl);
  const [victim, attacker] = [tabSender(tabs[0]!), tabSender(tabs[1]!)];
  const summary = await core.value<{ jobId: string }>({ type: 'summarise.thisTab', regenerate: false }, victim);
  await follow(core.precis, summary.jobId);
  const thread = await core.value<{ conversationId: string; jobId: string }>(
    { type: 'chat.send', text: 'What is my balance?', attachPage: true, afterSummaryJobId: summary.jobId },
    victim,
  );
  await follow(core.precis, thread.jobId);
  const popup = await core.value<{ conversationId: string; jobId: string }>({ type: 'chat.send', text: 'About this page', attachPage: true });
  await follow(core.precis, popup.jobId);
  return { ...core, victim, attacker, summary, thread, popup };
}
