// The core paths in Firefox ESR: what a Firefox user does first and most, on Firefox's own event
// page, sidebar_action and PDF viewer. The Chromium suite (tests/e2e) covers each path in depth; these
// check that they work in Firefox at all, and stay working.
import { byLabel, button, expect, fill, test, textOf, waitFor, waitForText } from './fixtures';

const settings = (baseUrl: string) => ({ baseUrl, model: 'mock-model', apiKey: 'sk-test-firefox' });

test('installing opens the welcome page, which shows the shortcut Firefox gave the add-on', async ({ firefox }) => {
  const m = firefox.marionette;
  await firefox.use(firefox.welcome, { select: true });
  await waitForText(m, 'h1', 'Welcome to Precis');
  const shortcut = await firefox.background(async (_precis, browser) => (await browser.commands.getAll()).find((c: { name: string }) => c.name === 'summarise-page')?.shortcut);
  expect(shortcut).toBe('Alt+Shift+S');
  await waitFor(async () => (await m.execute(() => document.body.innerText)).includes(shortcut), 'the shortcut on the welcome page');
  await firefox.screenshot('firefox-welcome', { window: true });
});

test('a provider saved in the options answers Test connection, and its key is stored encrypted', async ({ firefox, mock }) => {
  const m = firefox.marionette;
  mock.set({ reply: 'pong' });
  await firefox.openExtensionPage('options.html');
  await fill(m, await byLabel(m, 'Base URL'), mock.baseUrl);
  await fill(m, await byLabel(m, 'Model'), 'mock-model');
  await fill(m, await byLabel(m, 'API key'), 'sk-test-firefox-key');
  await m.click(await button(m, 'Save'));
  await waitForText(m, '[data-testid=notice]', 'Saved.');

  await m.click(await button(m, 'Test connection'));
  await waitForText(m, '[data-testid=notice]', /Answered in/);
  expect(mock.completions().at(-1)!.headers.authorization).toBe('Bearer sk-test-firefox-key');
  // The key is stored encrypted, never as the text typed.
  const stored = await firefox.background(async (_precis, browser) => JSON.stringify(await browser.storage.local.get(null)));
  expect(stored).not.toContain('sk-test-firefox-key');
});

test('"Summarise page" streams into the in-page sidebar, and a follow-up is answered there', async ({ firefox, mock, site }) => {
  const m = firefox.marionette;
  const words = Array.from({ length: 30 }, (_, i) => `night${i}`).join(' ');
  // The last word waits for the test, so "part of the answer" never depends on the machine's speed.
  let finish!: () => void;
  mock.set({ reply: words, tokenDelayMs: 20, beforeLastPiece: new Promise((resolve) => (finish = resolve)) });
  await firefox.configure(settings(mock.baseUrl));
  const url = `${site.url}/article.html`;
  const page = await firefox.openTab(url);

  await firefox.menu(url);
  await firefox.useSidebar(page);
  // Streaming: part of the answer is on screen before the rest has arrived.
  const partial = await waitForText(m, '[data-testid=answer]', /night3\b/);
  expect(partial).not.toContain('night29');
  finish();
  await waitForText(m, '[data-testid=answer]', words);
  await waitFor(() => m.execute(() => !!document.querySelector('[data-status=done]')), 'the summary to finish');
  expect(mock.completions()[0]!.body.messages.at(-1).content).toContain('The Quiet Return of the Night Train');

  mock.set({ reply: 'The Vienna to Paris line.', tokenDelayMs: 0 });
  await fill(m, await byLabel(m, 'Ask a follow-up about this page…'), 'Which line is busiest?', { enter: true });
  await waitFor(async () => (await m.execute(() => document.body.innerText)).includes('The Vienna to Paris line.'), 'the follow-up answer');
  // Finished, not only written: its usage line comes with the end of the job.
  await waitFor(() => m.execute(() => !!document.querySelector('.follow-up [data-testid=usage]')), 'the follow-up to finish');
  const followUp = mock.completions()[1]!.body.messages;
  expect(followUp.at(-1).content).toBe('Which line is busiest?');
  expect(JSON.stringify(followUp)).toContain('night29');

  // At rest, the finished sidebar sends no message and changes nothing.
  await m.execute(() => {
    const w = window as unknown as { precisMutations: number };
    w.precisMutations = 0;
    new MutationObserver((records) => (w.precisMutations += records.length)).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  const traffic = () => firefox.background((precis) => ({ ...precis.traffic }));
  const before = await traffic();
  // The measurement is the window itself: a view at rest does nothing in it.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const after = await traffic();
  await firefox.useSidebar(page);
  const mutations = await m.execute(() => (window as unknown as { precisMutations: number }).precisMutations);
  expect({ messages: after.messages - before.messages, ports: after.ports - before.ports, mutations }).toEqual({ messages: 0, ports: 0, mutations: 0 });
});

test('the shortcut, pressed while Firefox has stopped the event page, summarises into the in-page sidebar', async ({ firefox, mock, site }) => {
  const m = firefox.marionette;
  mock.set({ reply: 'Night trains are back.' });
  await firefox.configure(settings(mock.baseUrl));
  const url = `${site.url}/article.html`;
  const page = await firefox.openTab(url);
  await firefox.stopBackground();
  await firefox.shortcut();

  await waitFor(() => m.execute(() => !!document.querySelector('precis-sidebar')), 'the sidebar in the page');
  await firefox.useSidebar(page);
  await waitForText(m, '[data-testid=answer]', 'Night trains are back.');
  // The side panel is not the choice: it stays closed.
  expect(await firefox.inSidePanel(() => true)).toBeNull();
});

test('a repeat summary comes from the cache, without a request', async ({ firefox, mock, site }) => {
  const m = firefox.marionette;
  mock.set({ reply: 'A summary worth keeping.' });
  await firefox.configure(settings(mock.baseUrl));
  const url = `${site.url}/article.html`;
  const page = await firefox.openTab(url);
  await firefox.menu(url);
  await firefox.useSidebar(page);
  await waitForText(m, '[data-testid=answer]', 'A summary worth keeping.');
  await waitFor(() => m.execute(() => !!document.querySelector('[data-status=done]')), 'the summary to finish');
  expect(await textOf(m, '[data-testid=cached]')).toBe('');

  await firefox.use(page);
  await m.navigate(url);
  await firefox.menu(url);
  await firefox.useSidebar(page);
  await waitForText(m, '[data-testid=cached]', 'cached · just now');
  expect(await textOf(m, '[data-testid=answer]')).toBe('A summary worth keeping.');
  expect(mock.completions()).toHaveLength(1);
});

test('with no provider, "Summarise page" gives the offline summary and says what it is', async ({ firefox, mock, site }) => {
  const m = firefox.marionette;
  const url = `${site.url}/article.html`;
  const page = await firefox.openTab(url);
  await firefox.menu(url);
  await firefox.useSidebar(page);
  await waitFor(async () => (await m.execute(() => document.body.innerText)).includes('Offline summary.'), 'the offline summary');
  // Sentences of the page itself, and no request anywhere.
  expect(await textOf(m, '[data-testid=answer]')).toMatch(/sleeper trains|night train/i);
  expect(mock.completions()).toHaveLength(0);
});

test('the popup chat streams a multi-turn conversation, and it is all there when the popup opens again', async ({ firefox, mock }) => {
  const m = firefox.marionette;
  mock.set({ reply: ({ messages }) => `Answer to “${messages.at(-1)!.content}”.` });
  await firefox.configure(settings(mock.baseUrl));
  // Automation cannot click the toolbar button: the popup opens as a page.
  const popup = await firefox.openExtensionPage('popup.html');
  for (const [i, question] of ['First question?', 'Second question?'].entries()) {
    await fill(m, await byLabel(m, 'Ask anything… (Enter to send, Shift+Enter for a new line)'), question, { enter: true });
    await waitFor(
      () => m.execute((n: number) => document.querySelectorAll('[data-testid=assistant-turn]')[n]?.textContent ?? '', i).then((text) => text.includes(`Answer to “${question}”.`)),
      `the answer to "${question}"`,
    );
  }
  const history = mock.completions()[1]!.body.messages.slice(1).map((turn: { role: string; content: string }) => `${turn.role}: ${turn.content}`);
  expect(history).toEqual(['user: First question?', 'assistant: Answer to “First question?”.', 'user: Second question?']);

  await firefox.use(popup);
  await m.closeWindow();
  await firefox.openExtensionPage('popup.html');
  const turns = await waitFor(
    () => m.execute(() => [...document.querySelectorAll('[data-testid=user-turn], [data-testid=assistant-turn]')].map((turn) => turn.textContent?.trim())).then((all) => (all.length === 4 ? all : undefined)),
    'the conversation, reopened',
  );
  expect(turns[0]).toBe('First question?');
  expect(turns[3]).toContain('Answer to “Second question?”.');
});

test('an answer cut off when Firefox stops the event page starts again by itself and completes, without repeating text', async ({ firefox, mock, site }) => {
  const m = firefox.marionette;
  const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
  // The last word never comes before the restart, however slow the machine.
  mock.set({ reply: words, tokenDelayMs: 50, beforeLastPiece: new Promise(() => {}) });
  await firefox.configure(settings(mock.baseUrl));
  const url = `${site.url}/article.html`;
  const page = await firefox.openTab(url);
  await firefox.menu(url);
  await firefox.useSidebar(page);
  await waitForText(m, '[data-testid=answer]', /word12\b/);

  mock.set({ tokenDelayMs: 0, beforeLastPiece: undefined });
  await firefox.stopBackground();
  await firefox.useSidebar(page);
  await waitFor(() => m.execute(() => !!document.querySelector('[data-status=done]')), 'the summary to finish after the restart', 20_000);
  expect(await textOf(m, '[data-testid=answer]')).toBe(words);
  expect(mock.completions()).toHaveLength(2);
});

test('a local server that refuses extension origins, as Ollama does, works through the Origin rewrite', async ({ firefox, mock, site }) => {
  const m = firefox.marionette;
  mock.set({ rejectExtensionOrigins: true, reply: 'Local model summary.' });
  await firefox.openExtensionPage('options.html');
  const provider = await byLabel(m, 'Provider');
  await m.click(provider);
  await m.click(await m.find('option[value=ollama]', provider));
  await waitFor(async () => (await m.execute(() => document.body.innerText)).includes('OLLAMA_ORIGINS'), 'the Ollama advice');
  await fill(m, await byLabel(m, 'Base URL'), mock.baseUrl);
  await fill(m, await byLabel(m, 'Model'), 'llama3.2');
  await m.click(await button(m, 'Save'));
  await waitForText(m, '[data-testid=notice]', 'Saved.');

  const url = `${site.url}/article.html`;
  const page = await firefox.openTab(url);
  await firefox.menu(url);
  await firefox.useSidebar(page);
  await waitForText(m, '[data-testid=answer]', 'Local model summary.');
  const request = mock.completions().at(-1)!;
  expect(request.headers.origin).toBe(new URL(mock.url).origin);
  expect(request.headers.authorization).toBeUndefined();
});
