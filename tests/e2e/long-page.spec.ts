import { expect, sidebar, test } from './fixtures';

test('a long page is summarised by map-reduce with per-part progress, then the final summary', async ({ extension, mock, site }) => {
  mock.set({
    latencyMs: 800,
    reply: ({ messages }) => {
      const prompt = messages.at(-1)?.content ?? '';
      if (prompt.includes('<part>')) return 'Notes on one part of the report.';
      if (prompt.includes('<notes>') && !messages[0]!.content.includes('notes on its consecutive parts')) return 'Merged notes.';
      return 'Final summary of the whole report.';
    },
  });
  // An unknown model gets a small (8k) window: a 20k-token page must be read in parts.
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: 'sk-test-long' });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/long.html`);
  await extension.summariseFromMenu(page);

  const status = sidebar(page).getByRole('status');
  await expect(status).toContainText(/Reading the page: part \d+ of \d+ done/);
  await expect(status).toContainText('Combining the notes on every part into the summary');
  await expect(sidebar(page).getByTestId('answer')).toHaveText('Final summary of the whole report.');

  const requests = mock.completions().map((r) => JSON.stringify(r.body.messages));
  const parts = requests.filter((r) => r.includes('<part>'));
  expect(parts.length).toBeGreaterThanOrEqual(3);
  // Every section of the page reached the model, the middle included.
  for (const section of ['Section 1:', 'Section 30:', 'Section 60:']) expect(parts.some((r) => r.includes(section))).toBe(true);
  // The parts ran in parallel, under the client's concurrency limit.
  expect(mock.stats().maxConcurrent).toBeGreaterThan(1);
  expect(requests.at(-1)).toContain('notes on its consecutive parts');
});
