import { expect, test, type Extension } from './fixtures';

const key = 'sk-test-chat';

async function ask(popup: Awaited<ReturnType<Extension['openExtensionPage']>>, text: string) {
  const box = popup.getByRole('textbox', { name: /Ask anything/ });
  await box.fill(text);
  await box.press('Enter');
}

test('a three-turn chat streams, sends its history, and is all there when the popup reopens', async ({ extension, mock }) => {
  mock.set({ reply: ({ messages }) => `Answer to “${messages.at(-1)!.content}”.` });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  let popup = await extension.openExtensionPage('popup.html');
  for (const [i, q] of ['First question?', 'Second question?', 'Third question?'].entries()) {
    await ask(popup, q);
    await expect(popup.getByTestId('assistant-turn').nth(i)).toContainText(`Answer to “${q}”.`);
  }
  const third = mock.completions()[2]!.body.messages.map((m: { role: string; content: string }) => `${m.role}: ${m.content}`);
  expect(third.slice(1)).toEqual([
    'user: First question?',
    'assistant: Answer to “First question?”.',
    'user: Second question?',
    'assistant: Answer to “Second question?”.',
    'user: Third question?',
  ]);

  await popup.close();
  popup = await extension.openExtensionPage('popup.html');
  await expect(popup.getByTestId('user-turn')).toHaveText(['First question?', 'Second question?', 'Third question?']);
  await expect(popup.getByTestId('assistant-turn')).toHaveCount(3);
  await expect(popup.getByTestId('assistant-turn').nth(2)).toContainText('Answer to “Third question?”.');
  await popup.getByRole('button', { name: 'History' }).click();
  await expect(popup.getByRole('list', { name: 'History' })).toContainText('First question?');
});

test('closing the popup mid-answer loses nothing: reopened, the answer is still arriving, then complete', async ({ extension, mock }) => {
  const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
  let finish!: () => void;
  mock.set({ reply: words, tokenDelayMs: 20, beforeLastPiece: new Promise((resolve) => (finish = resolve)) });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  let popup = await extension.openExtensionPage('popup.html');
  await ask(popup, 'Tell me a long story');
  await expect(popup.getByTestId('assistant-turn')).toContainText('w3');
  await popup.close();

  popup = await extension.openExtensionPage('popup.html');
  const answer = popup.getByTestId('assistant-turn');
  await expect(answer.getByRole('button', { name: 'Stop' })).toBeVisible();
  await expect(answer).toContainText('w38');
  finish();
  await expect(answer).toContainText('w39');
  await expect(answer.getByRole('button', { name: 'Copy' })).toBeVisible();
  expect(mock.completions()).toHaveLength(1);
});

test('"About this page" sends the page with every turn', async ({ extension, mock, site }) => {
  mock.set({ reply: 'It is about night trains.' });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  const popup = await extension.openPopupWindow();
  await popup.getByLabel('About this page').check();
  await ask(popup, 'What is this page about?');
  await expect(popup.getByTestId('assistant-turn')).toContainText('It is about night trains.');
  await expect(popup.getByText('About: The Quiet Return of the Night Train')).toBeVisible();
  await ask(popup, 'And the costs?');
  await expect(popup.getByTestId('assistant-turn')).toHaveCount(2);
  for (const request of mock.completions()) expect(request.body.messages[0].content).toContain('sleeper trains are running again');
});

test('chat without a provider says what to do', async ({ extension }) => {
  const popup = await extension.openExtensionPage('popup.html');
  await ask(popup, 'Hello?');
  await expect(popup.getByRole('alert')).toContainText('No model set up yet');
  await expect(popup.getByRole('alert').getByRole('button', { name: 'Open options' })).toBeVisible();
});
