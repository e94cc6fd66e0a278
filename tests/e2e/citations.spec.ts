// Citations: chips in the sidebar for the units the model cites, each showing its passage in the
// page (scrolled to and highlighted with the CSS Custom Highlight API), on pages of different
// structures, one of which renders itself again; on a long page read in parts; and offline.
import type { FrameLocator, Locator, Page } from '@playwright/test';
import { highlighted, unitOf, userPrompt } from './citation-helpers';
import { askFollowUp, expect, sidebar, test, type Extension } from './fixtures';
import type { MockLlm } from '../support/mock-llm';

const key = 'sk-test-citations';

/** Clicks chip `unit` and waits until the page shows that passage, highlighted and in view. */
async function showPassage(page: Page, answer: Locator | FrameLocator, unit: number, text: string) {
  await answer.locator(`button.cite[data-unit="${unit}"]`).first().click();
  await expect.poll(async () => (await highlighted(page))?.text ?? '').toContain(text);
  await expect
    .poll(async () => {
      const h = await highlighted(page);
      return !!h && h.connected && h.top >= 0 && h.bottom <= h.viewport;
    })
    .toBe(true);
}

const chips = (answer: Locator) => answer.locator('button.cite');

test('cited units become chips that show their passage, after the page re-renders too; a made-up unit is not linked', async ({ extension, mock, site }) => {
  mock.set({
    apiKey: key,
    reply: ({ messages }) => {
      const prompt = userPrompt(messages);
      const cite = (text: string) => `¶${unitOf(prompt, text)}`;
      return [
        '## TL;DR',
        `The harbour town will rebuild its pier. ${cite('voted on Tuesday')}`,
        '',
        '## Key points',
        `- The ferry moves to the north quay. ${cite('ferry to the islands')},${cite('fish market')}`,
        `- The pier reopens before the regatta ${cite('Reopen it before')}.`,
        `- Stone and concrete cost 1.2 million euros ${cite('Stone and concrete')}.`,
        `- A point the page never made. ¶999`,
      ].join('\n');
    },
  });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/rerender.html`);
  await extension.summariseFromMenu(page);
  const panel = sidebar(page);
  const answer = panel.getByTestId('answer');
  await expect(panel.locator('[data-status=done]')).toBeVisible();

  // A chip per cited unit that exists (short posts, items and rows share a unit: one chip for
  // two passages in it); ¶999 names none and is dropped, marker and all.
  const prompt = userPrompt(mock.completions()[0]!.body.messages);
  const ferry = new Set([unitOf(prompt, 'ferry to the islands'), unitOf(prompt, 'fish market')]).size;
  await expect(chips(answer)).toHaveCount(3 + ferry);
  await expect(answer).not.toContainText('¶');
  await expect(answer).not.toContainText('999');
  await expect(answer.getByRole('listitem').nth(3)).toHaveText('A point the page never made.');
  await expect(panel.getByTestId('coverage')).toHaveText(/^Read all \d+ words$/);

  // Hovering shows the passage.
  const stepUnit = unitOf(prompt, 'Reopen it before');
  await answer.locator(`button.cite[data-unit="${stepUnit}"]`).first().hover();
  await expect(panel.getByTestId('cite-quote')).toContainText('Reopen it before the regatta in 2027');

  // A list item, far down the page: scrolled into view and highlighted.
  await showPassage(page, answer, stepUnit, 'Reopen it before the regatta in 2027');
  // The page renders itself again: every node the map found is gone, the text is the same.
  await page.evaluate(() => (window as unknown as { render(): void }).render());
  await expect(page.locator('body')).toHaveAttribute('data-renders', '2');
  // From here the page watches: it sees no change to its DOM and no message about what was clicked.
  await page.evaluate(() => {
    const w = window as unknown as { seen: { mutations: number; messages: number } };
    w.seen = { mutations: 0, messages: 0 };
    new MutationObserver((records) => (w.seen.mutations += records.length)).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    window.addEventListener('message', () => w.seen.messages++, true);
  });
  await showPassage(page, answer, unitOf(prompt, 'Stone and concrete'), 'Stone and concrete');
  await showPassage(page, answer, unitOf(prompt, 'fish market'), 'Tomas replied that the fish market will move inland');
  expect(await page.evaluate(() => (window as unknown as { seen: unknown }).seen)).toEqual({ mutations: 0, messages: 0 });
  // Nothing was added to the page's own DOM.
  expect(await page.evaluate(() => document.querySelectorAll('body *:not(#app, #app *, script, precis-sidebar)').length)).toBe(0);

  // A passage the page no longer has: the sidebar says so, and nothing stays highlighted.
  // (The plan's short steps and rows share units: the list and the table go.)
  await page.evaluate(() => document.querySelectorAll('ol, table').forEach((e) => e.remove()));
  await answer.locator(`button.cite[data-unit="${unitOf(prompt, 'Stone and concrete')}"]`).first().click();
  await expect(panel.getByRole('status').filter({ hasText: 'This passage is no longer on the page.' })).toBeVisible();
  expect(await highlighted(page)).toBeUndefined();
});

/** A provider whose summary cites two paragraphs of the trains article, by their units. */
async function citeTwoParagraphs(extension: Extension, mock: MockLlm) {
  mock.set({
    apiKey: key,
    reply: ({ messages }) => {
      const prompt = userPrompt(messages);
      return `- Operators need subsidies ¶${unitOf(prompt, 'Running a night train is expensive')}\n- Six countries signed ¶${unitOf(prompt, 'ministers from six countries')}`;
    },
  });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
}

test('on an article, each chip highlights the paragraph it cites', async ({ extension, mock, site }) => {
  await citeTwoParagraphs(extension, mock);
  const page = await extension.context.newPage();
  await page.setViewportSize({ width: 900, height: 300 });
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  const answer = sidebar(page).getByTestId('answer');
  await expect(chips(answer)).toHaveCount(2);
  const prompt = userPrompt(mock.completions()[0]!.body.messages);
  await showPassage(page, answer, unitOf(prompt, 'ministers from six countries'), 'Still, ministers from six countries signed a declaration');
  await showPassage(page, answer, unitOf(prompt, 'Running a night train is expensive'), 'Running a night train is expensive.');
});

test('closing the sidebar takes the highlight with it, by its close button or by Escape', async ({ extension, mock, site }) => {
  await citeTwoParagraphs(extension, mock);
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  const closings: [string, () => Promise<void>][] = [
    ['the close button', () => sidebar(page).getByRole('button', { name: 'Close' }).click()],
    [
      'Escape',
      async () => {
        await sidebar(page).getByRole('button', { name: 'Close' }).focus();
        // Down without waiting for the acknowledgement, up once it is gone: a key event racing the focused frame's
        // removal can leave Playwright waiting for good (sidebar.spec.ts).
        void page.keyboard.down('Escape').catch(() => undefined);
        await expect(page.locator('precis-sidebar')).toHaveCount(0);
        await page.keyboard.up('Escape');
      },
    ],
  ];
  for (const [how, close] of closings) {
    await extension.summariseFromMenu(page);
    const answer = sidebar(page).getByTestId('answer');
    await expect(chips(answer), how).toHaveCount(2);
    const prompt = userPrompt(mock.completions()[0]!.body.messages);
    await showPassage(page, answer, unitOf(prompt, 'ministers from six countries'), 'ministers from six countries signed');
    await close();
    await expect(page.locator('precis-sidebar'), how).toHaveCount(0);
    // Nothing stays painted on the page with no sidebar to say why.
    await expect.poll(() => highlighted(page), { message: how }).toBeUndefined();
    expect(await page.evaluate(() => CSS.highlights.size), how).toBe(0);
  }
});

test('a follow-up answer in the sidebar cites the page too', async ({ extension, mock, site }) => {
  mock.set({
    apiKey: key,
    reply: ({ messages }) => {
      const system = messages[0]!.content;
      // The follow-up: the page comes numbered in the system message, and the question last.
      if (system.includes('The user is reading the page below')) return `The ferry moves while the pier is rebuilt ¶${unitOf(system, 'ferry to the islands')}.`;
      return `The pier will be rebuilt ¶${unitOf(userPrompt(messages), 'voted on Tuesday')}.`;
    },
  });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/rerender.html`);
  await extension.summariseFromMenu(page);
  const panel = sidebar(page);
  await expect(chips(panel.getByTestId('answer'))).toHaveCount(1);
  const thread = await askFollowUp(panel, 'Where does the ferry go?');
  const turn = thread.getByTestId('assistant-turn');
  await expect(turn.locator('button.cite')).toHaveCount(1);
  expect((await turn.locator('.markdown').textContent())?.trim()).toMatch(/^The ferry moves while the pier is rebuilt\d+\.$/);
  const unit = Number(await turn.locator('button.cite').getAttribute('data-unit'));
  await showPassage(page, turn, unit, 'Mara wrote that the ferry to the islands will run from the north quay');
});

test('a long page read in parts: the final summary cites units of the page, each in the right part', async ({ extension, mock, site }) => {
  // Notes cite the first paragraph of each section in their part; the final summary keeps the
  // notes' citations, as the prompts ask.
  mock.set({
    apiKey: key,
    reply: ({ messages }) => {
      const prompt = userPrompt(messages);
      if (prompt.includes('<part>')) {
        const notes = [...prompt.matchAll(/¶(\d+) In district \d+, the \w+ programme reached milestone (\d+)/g)].filter(([, , m]) => Number(m) % 5 === 0);
        return notes.map(([, n, m]) => `- Milestone ${m} was reached ¶${n}`).join('\n');
      }
      const points = [...prompt.matchAll(/- Milestone (\d+) was reached (¶\d+)/g)];
      return points.map(([, m, cite]) => `- Milestone ${m}. ${cite}`).join('\n');
    },
  });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/long.html`);
  await extension.summariseFromMenu(page);
  const panel = sidebar(page);
  const answer = panel.getByTestId('answer');
  await expect(panel.locator('[data-status=done]')).toBeVisible({ timeout: 30_000 });
  expect(mock.completions().filter((r) => JSON.stringify(r.body.messages).includes('<part>')).length).toBeGreaterThanOrEqual(3);
  // One point per section, each citing a unit of the page (section 60's first paragraph is unit 296 or so, no part has that many).
  await expect(answer.getByRole('listitem')).toHaveCount(60);
  await expect(chips(answer)).toHaveCount(60);
  for (const milestone of [0, 150, 295]) {
    const item = answer.getByRole('listitem').filter({ hasText: new RegExp(`^Milestone ${milestone}\\.`) });
    const unit = Number(await item.locator('button.cite').getAttribute('data-unit'));
    await showPassage(page, answer, unit, `reached milestone ${milestone} in year`);
  }
});

test('the offline summary cites exactly the sentences it shows', async ({ extension, site }) => {
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  const panel = sidebar(page);
  const answer = panel.getByTestId('answer');
  await expect(panel.locator('[data-status=done]')).toBeVisible();
  const cited = answer.locator('p, li').filter({ has: panel.locator('button.cite') });
  const count = await cited.count();
  expect(count).toBeGreaterThanOrEqual(3);
  for (let i = 0; i < count; i++) {
    const block = cited.nth(i);
    const chip = block.locator('button.cite');
    await expect(chip).toHaveCount(1);
    const sentence = (await block.evaluate((el) => [...el.childNodes].filter((n) => !(n instanceof HTMLElement && n.matches('.cites'))).map((n) => n.textContent).join(''))).trim();
    const unit = Number(await chip.getAttribute('data-unit'));
    await showPassage(page, answer, unit, sentence);
  }
});
