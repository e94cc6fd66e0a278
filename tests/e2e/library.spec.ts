// The library page (issue 14): every summary and chat, searched, filtered, read, exported and
// deleted through the real background; and the tokens and cost under each answer.
import type { Download, Page } from '@playwright/test';
import { load } from 'js-yaml';
import type { JobRecord } from '../../lib/jobs/runner';
import { jobSearchFields } from '../../lib/library/search-fields';
import { expectNoSeriousViolations } from './axe';
import type { MockLlm } from '../support/mock-llm';
import { approxTokens } from '../support/mock-llm/wire';
import { expect, sidebar, test, type Extension } from './fixtures';

const key = 'sk-test-library-7c21';
const summaryText = 'Sleeper trains are back in Europe. Cabins on Vienna–Paris sell out most nights.';

async function summarise(extension: Extension, page: Page) {
  await extension.summariseFromMenu(page);
  await expect(sidebar(page).locator('[data-status=done]')).toBeVisible();
}

/** The extension pointed at the mock, and `path` on the fixture site summarised with `reply`. */
async function summarisedPage(extension: Extension, mock: MockLlm, siteUrl: string, reply: string, path = 'article.html') {
  mock.set({ reply });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${siteUrl}/${path}`);
  await summarise(extension, page);
  return page;
}

/** A chat in the popup: one question, its answer shown. */
async function chatInPopup(extension: Extension, question: string) {
  const popup = await extension.openExtensionPage('popup.html');
  const box = popup.getByRole('textbox');
  await box.fill(question);
  await box.press('Enter');
  await expect(popup.getByTestId('assistant-turn').getByRole('button', { name: /^(Copy|复制)$/ })).toBeVisible();
  return popup;
}

async function text(download: Download): Promise<string> {
  const chunks = await (await download.createReadStream()).toArray();
  return Buffer.concat(chunks).toString('utf8');
}

/** The front matter and the body of one exported document. */
function parseMarkdown(md: string) {
  const match = /^---\n([\s\S]*?)\n---\n\n([\s\S]*)$/.exec(md);
  if (!match) throw new Error(`no front matter in ${md.slice(0, 200)}`);
  return { meta: load(match[1]!) as Record<string, unknown>, body: match[2]! };
}

test('search by a word of the text, filter, open, export round trip, delete', async ({ extension, mock, site }) => {
  const article = await summarisedPage(extension, mock, site.url, summaryText);
  const library = await extension.openExtensionPage('library.html');
  const entries = library.getByTestId('library-entry');
  await expect(entries).toHaveCount(1);
  mock.set({ reply: 'Gondolas glide along the Grand Canal.' });
  await (await chatInPopup(extension, 'What about Venice?')).close();
  // Coming back to the library tab lists again (automation cannot switch the visible tab, so the event is sent).
  await library.bringToFront();
  await library.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  await expect(entries).toHaveCount(2);
  // Newest first: the chat came after the summary.
  await expect(entries.first()).toContainText('What about Venice?');

  const search = library.getByLabel('Search titles, addresses and text');
  await search.pressSequentially('cabin');
  await expect(entries).toHaveCount(1);
  await expect(entries).toContainText('The Quiet Return of the Night Train');
  await search.fill('gondolas');
  await expect(entries).toHaveCount(1);
  await expect(entries).toContainText('What about Venice?');
  await search.fill('nothing-like-this');
  await expect(library.getByTestId('library-count')).toHaveText('Nothing matches.');
  await search.fill('');
  await expect(entries).toHaveCount(2);

  await library.getByLabel('Kind').selectOption({ label: 'Chats' });
  await expect(entries).toHaveCount(1);
  await expect(entries).toContainText('What about Venice?');
  await library.getByLabel('Kind').selectOption({ label: 'Summaries and chats' });
  await library.getByLabel('Site').selectOption('127.0.0.1');
  await expect(entries).toHaveCount(1);
  await expect(entries).toContainText('The Quiet Return of the Night Train');

  await entries.first().click();
  const reader = library.getByTestId('library-reader');
  await expect(reader.getByRole('heading', { name: 'The Quiet Return of the Night Train' })).toBeVisible();
  await expect(reader.getByTestId('source-link')).toHaveAttribute('href', article.url());
  await expect(reader).toContainText('Cabins on Vienna–Paris sell out most nights.');
  await expect(reader).toContainText('Model: mock-model');

  const [download] = await Promise.all([library.waitForEvent('download'), reader.getByRole('button', { name: 'Export .md' }).click()]);
  expect(download.suggestedFilename()).toBe('The Quiet Return of the Night Train.md');
  const { meta, body } = parseMarkdown(await text(download));
  expect(meta).toMatchObject({ title: 'The Quiet Return of the Night Train', url: article.url(), model: 'mock-model', kind: 'summary' });
  expect(meta.date).toBeInstanceOf(Date);
  expect(Math.abs(Date.now() - (meta.date as Date).getTime())).toBeLessThan(120_000);
  expect(body.trim()).toBe(summaryText);

  await extension.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await reader.getByRole('button', { name: 'Copy as Markdown' }).click();
  await expect(reader.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(parseMarkdown(await library.evaluate(() => navigator.clipboard.readText())).meta.url).toBe(article.url());

  library.once('dialog', (d) => void d.accept());
  await reader.getByRole('button', { name: 'Delete' }).click();
  await expect(reader).toHaveCount(0);
  await library.getByLabel('Site').selectOption('');
  await expect(entries).toHaveCount(1);
  await expect(entries).toContainText('What about Venice?');

  const [all] = await Promise.all([library.waitForEvent('download'), library.getByRole('button', { name: 'Export all (.md)' }).click()]);
  const everything = await text(all);
  expect(parseMarkdown(everything).meta).toMatchObject({ title: 'What about Venice?', kind: 'chat' });
  expect(everything).toContain('Gondolas glide along the Grand Canal.');
  expect(everything).not.toContain(summaryText);
});

test('the popup opens the library, which rests once loaded and has no serious accessibility problems', async ({ extension, mock, site }) => {
  await summarisedPage(extension, mock, site.url, summaryText);

  // The popup's link opens the library in a tab of its own.
  const popup = await extension.openExtensionPage('popup.html');
  const [library] = await Promise.all([extension.context.waitForEvent('page'), popup.getByRole('button', { name: 'Library' }).click()]);
  await expect(library).toHaveURL(`chrome-extension://${extension.id}/library.html`);
  await library.getByTestId('library-entry').first().click();
  await expect(library.getByTestId('library-reader')).toBeVisible();
  // Loaded means its Markdown too, asked for when the reader opens (Copy and Export wait for it).
  await expect(library.getByRole('button', { name: 'Export .md' })).toBeEnabled();
  const rest = await extension.activityAtRest(library);
  expect(rest, JSON.stringify(rest)).toEqual({ messages: 0, ports: 0, mutations: 0 });
  await expectNoSeriousViolations(library);
});

test('tokens and cost under a summary and a chat answer; a repeat says what the cache saved', async ({ extension, mock, site }) => {
  mock.set({ reply: summaryText });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  await extension.setPreferences({ prices: { 'mock-model': { inputPerMTok: 1000, outputPerMTok: 2000 } } });
  const article = await extension.context.newPage();
  await article.goto(`${site.url}/article.html`);
  const panel = sidebar(article);

  await summarise(extension, article);
  const usage = panel.getByTestId('usage');
  await expect(usage).toHaveText(/^[\d,]+ tokens in, [\d,]+ out ≈ \$\d/);
  const spent = (await usage.textContent())!;
  const [input, output] = spent.match(/\d[\d,]*/g)!.map((n) => Number(n.replace(/,/g, '')));
  // The mock reports usage; the sidebar shows its sum, priced by the user's table.
  expect(input).toBeGreaterThan(100);
  expect(output).toBeGreaterThan(5);
  const cost = Number(/\$([\d.]+)/.exec(spent)![1]);
  expect(cost).toBeCloseTo((input! * 1000 + output! * 2000) / 1e6, 2);

  await article.reload();
  await summarise(extension, article);
  await expect(panel.getByTestId('cached')).toBeVisible();
  await expect(usage).toHaveText(`cached: saved ${spent}`);

  const popup = await chatInPopup(extension, 'And the prices?');
  await expect(popup.getByTestId('assistant-turn').getByTestId('usage')).toHaveText(/^[\d,]+ tokens in, [\d,]+ out ≈ \$/);
});

test('a map-reduce summary shows the tokens of all its calls, summed', async ({ extension, mock, site }) => {
  mock.set({ reply: ({ messages }) => (messages.at(-1)?.content.includes('<part>') ? 'Notes on one part.' : 'Final summary.') });
  // An unknown model gets a small window: the long page is read in parts.
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/long.html`);
  await summarise(extension, page);
  const calls = mock.completions();
  expect(calls.length).toBeGreaterThan(2);
  // The mock reports each call's prompt tokens as approxTokens of its messages.
  const expected = calls.reduce((sum, call) => sum + approxTokens((call.body.messages as { content: string }[]).map((m) => m.content).join('')), 0);
  const shown = await sidebar(page).getByTestId('usage').textContent();
  expect(Number(/^([\d,]+) tokens in/.exec(shown!)![1]!.replace(/,/g, ''))).toBe(expected);
});

test('a library of 1,000 summaries answers as you type (times printed, not asserted)', async ({ extension }) => {
  test.setTimeout(90_000);
  // 250 words each from a 5,000-word vocabulary: every one-letter prefix matches every summary.
  const vocabulary = Array.from({ length: 5000 }, (_, i) => `word${i.toString(36)}`);
  const rows = Array.from({ length: 1000 }, (_, i) => {
    const job: JobRecord = {
      id: `bulk-${i}`,
      kind: 'summary',
      title: `Page ${i}`,
      status: 'done',
      text: Array.from({ length: 250 }, (_, k) => vocabulary[(i * 7919 + k * 104729) % vocabulary.length]).join(' ') + (i === 123 ? ' zebracorn' : ''),
      createdAt: i,
      updatedAt: i,
      requestHashes: [],
      source: { kind: 'page', tabId: 1, url: `https://site${i % 20}.example/p${i}` },
    };
    return { ...job, ...jobSearchFields(job) };
  });
  const library = await extension.openExtensionPage('library.html');
  await expect(library.getByTestId('library-count')).toHaveText(/Nothing here yet/);
  // Straight into the extension's database, as the job store would have written them.
  await library.evaluate(
    (records) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('precis');
        open.onsuccess = () => {
          const tx = open.result.transaction('jobs', 'readwrite');
          for (const record of records) tx.objectStore('jobs').put(record);
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
    rows,
  );
  await library.reload();
  const count = library.getByTestId('library-count');
  await expect(count).toHaveText('The newest 200 are shown; search or filter to find older ones.');
  const search = library.getByLabel('Search titles, addresses and text');
  const times: string[] = [];
  for (const [query, shown] of [['zebracorn', '1 shown'], ['w', /newest 200/], ['word1', /newest 200/], ['word1a word2b', /shown/], ['', /newest 200/]] as const) {
    const started = Date.now();
    await search.fill(query);
    await expect(count).toHaveText(shown);
    // Includes the 120 ms pause the page waits for the typing to stop.
    times.push(`"${query}": ${Date.now() - started} ms`);
  }
  console.log(`library of 1,000 summaries, query to results: ${times.join(', ')}`);
});

const outDir = process.env.UPDATE_SCREENSHOTS ? 'docs' : 'test-results/screenshots';

for (const [locale, suffix, page, reply, question] of [
  ['en-US', '', 'article.html', summaryText, 'Which routes run at night?'],
  ['zh-CN', '-zh', 'zh-article.html', '南湖市的公交车已全部换成电动车。\n\n- 噪音更小\n- 运营成本下降', '哪些线路最先电动化？'],
] as const) {
  test.describe(`${locale} library`, () => {
    test.use({ locale });

    test(`library screenshots in ${locale}, light and dark`, async ({ extension, mock, site }) => {
      await summarisedPage(extension, mock, site.url, reply, page);
      await (await chatInPopup(extension, question)).close();

      const library = await extension.openExtensionPage('library.html');
      await library.setViewportSize({ width: 1200, height: 720 });
      await expect(library.getByTestId('library-entry')).toHaveCount(2);
      await library.getByTestId('library-entry').last().click();
      await expect(library.getByTestId('library-reader')).toBeVisible();
      for (const colorScheme of ['light', 'dark'] as const) {
        await library.emulateMedia({ colorScheme });
        await library.screenshot({ path: `${outDir}/library${suffix}${colorScheme === 'dark' ? '-dark' : ''}.png` });
      }
    });
  });
}
