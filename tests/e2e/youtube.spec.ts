// YouTube under its real host name (served by the tests, tests/support/fake-youtube.ts): a video is
// summarised from its transcript, with times that play it from there; a video without one says so.
import { askFollowUp, expect, openPanel, sidebar, sidebarFrame, test } from './fixtures';
import type { FakeVideo } from '../support/youtube-pages';

const key = 'sk-test-1234567890abcdef';
const lines: [number, string][] = [
  [0, 'Welcome back to the channel.'],
  [12, 'Night trains are returning to Europe after decades of decline.'],
  [47, 'The Vienna to Paris line now runs three times a week.'],
  [95, 'Tickets start at thirty euros for a seat.'],
];
const trains: FakeVideo = {
  id: 'nightTrain01',
  title: 'The return of the night train',
  description: '0:00 Intro\n0:40 Routes\n1:30 Prices',
  lines,
  tracks: [{ lang: 'en', auto: true }, { lang: 'en' }],
  chapters: [[0, 'Intro'], [40, 'Routes'], [90, 'Prices']],
};

test.beforeEach(async ({ extension, mock }) => {
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
});

test('in the side panel, a time still shows what is said there after the video’s page reloads (the reader gone with it)', async ({ extension, mock, youtube }) => {
  mock.set({ reply: '## Key points\n- Vienna–Paris runs three times a week [0:47].' });
  await extension.setPreferences({ summariseOpensIn: 'sidepanel' });
  const page = await extension.context.newPage();
  await page.goto(youtube.add({ ...trains, id: 'nightTrain03' }));
  const panel = await openPanel(extension, page);
  await extension.summariseFromMenu(page);
  await expect(panel.locator('[data-status=done]')).toBeVisible();

  await page.reload();
  await expect(page.locator('video')).toHaveCount(1);
  // Nothing summarised again: the panel still shows the summary, and its time still quotes the transcript.
  const time = panel.getByTestId('answer').getByRole('button', { name: 'Play the video from 0:47' });
  await time.hover();
  await expect(panel.getByTestId('cite-quote')).toHaveText('The Vienna to Paris line now runs three times a week.');
  expect(mock.completions()).toHaveLength(1);
  // Shown from the background, the quote leaves the panel at rest: no messages, no re-renders.
  const rest = await extension.activityAtRest(panel);
  expect(rest.messages + rest.ports, JSON.stringify(rest)).toBe(0);
  expect(rest.mutations, JSON.stringify(rest)).toBe(0);
});

test('a video is summarised from its transcript; a time in the summary or a follow-up plays the video from there', async ({ extension, mock, youtube }) => {
  mock.set({
    reply: ({ messages }) =>
      String(messages.at(-1)!.content).includes('How much')
        ? 'Seats start at thirty euros [1:35].'
        : '## Key points\n- Night trains are back [0:12].\n- Vienna–Paris runs three times a week [0:47].',
  });
  const page = await extension.context.newPage();
  await page.goto(youtube.add(trains));
  await extension.summariseFromMenu(page);
  const answer = sidebar(page).getByTestId('answer');
  await expect(answer).toContainText('three times a week');

  // The model read the transcript, with its times and chapters, and was told what it is.
  const [request] = mock.completions();
  const [system, user] = request!.body.messages as { content: string }[];
  expect(system!.content).toContain('transcript of a video');
  expect(user!.content).toContain('## Routes [0:40]\n\n[0:47] The Vienna to Paris line now runs three times a week.');
  expect(user!.content).not.toContain('Great video, thanks.'); // the comments are not the video

  const time = answer.getByRole('button', { name: 'Play the video from 0:47' });
  await time.click();
  await expect.poll(() => page.evaluate(() => document.querySelector('video')!.currentTime)).toBe(47);
  await expect(answer.getByRole('button', { name: 'Play the video from 0:12' })).toBeVisible();

  // A follow-up is about the video too, and its times play it as well.
  const thread = await askFollowUp(sidebar(page).locator('aside'), 'How much is a ticket?');
  await thread.getByRole('button', { name: 'Play the video from 1:35' }).click();
  await expect.poll(() => page.evaluate(() => document.querySelector('video')!.currentTime)).toBe(95);
  expect(mock.completions()[1]!.body.messages[0].content).toContain('watching the video whose transcript is below');

  // Once answered, the sidebar with its time buttons does nothing.
  expect(await extension.activityAtRest(await sidebarFrame(page), { ms: 1_500 })).toEqual({ messages: 0, ports: 0, mutations: 0 });
});

test('a video without a transcript says so, sends nothing, and offers its description as what it is', async ({ extension, mock, youtube }) => {
  mock.set({ reply: 'The uploader lists links to timetables.' });
  const page = await extension.context.newPage();
  await page.goto(youtube.add({ id: 'silentVideo1', title: 'A silent film', description: 'Links to the timetables, and my other videos.' }));
  await extension.summariseFromMenu(page);
  const alert = sidebar(page).getByRole('alert');
  await expect(alert).toContainText('This video has no transcript');
  expect(mock.completions()).toHaveLength(0);

  await alert.getByRole('button', { name: 'Summarise the description instead' }).click();
  await expect(sidebar(page).getByTestId('answer')).toHaveText('The uploader lists links to timetables.');
  await expect(sidebar(page).getByRole('note')).toContainText('the video has no transcript');
  const [request] = mock.completions();
  expect(request!.body.messages[0].content).toContain('description its uploader wrote');
  expect(request!.body.messages[1].content).toContain('Links to the timetables, and my other videos.');
});

test('after navigating to another video inside YouTube, the summary is of the new video (read from the transcript panel)', async ({ extension, mock, youtube }) => {
  mock.set({ reply: 'About ferries [0:05].' });
  const second: FakeVideo = { id: 'ferryVideo02', title: 'Ferries of the Baltic', lines: [[5, 'Ferries cross the Baltic every night.']], tracks: [{ lang: 'en' }], panel: true };
  youtube.add(second, 'panel-only');
  const page = await extension.context.newPage();
  await page.goto(youtube.add(trains));
  // YouTube's own navigation: the URL changes, the page's scripts still describe the first video.
  await page.evaluate(() => history.pushState({}, '', '/watch?v=ferryVideo02'));
  await extension.summariseFromMenu(page);
  await expect(sidebar(page).getByTestId('answer')).toContainText('About ferries');
  const user = mock.completions()[0]!.body.messages[1].content as string;
  expect(user).toContain('[0:05] Ferries cross the Baltic every night.');
  expect(user).not.toContain('Night trains');
  expect(youtube.requests).toContain('POST /youtubei/v1/get_transcript?key=AIzaFakeKey');
});

test('hovering a time shows what the transcript says there; a time past the video’s end is not linked, in the summary or a follow-up', async ({ extension, mock, youtube }) => {
  const short: FakeVideo = { ...trains, id: 'nightTrain02', lengthSeconds: 120 };
  mock.set({
    reply: ({ messages }) =>
      String(messages.at(-1)!.content).includes('When')
        ? 'Prices at [1:35]; the credits at [9:59].'
        : '## Key points\n- Night trains are back [0:12].\n- Vienna–Paris runs three times a week [0:47].\n- A claim the video never makes [45:00].',
  });
  const page = await extension.context.newPage();
  await page.goto(youtube.add(short));
  await extension.summariseFromMenu(page);
  const panel = sidebar(page);
  const answer = panel.getByTestId('answer');
  await expect(panel.locator('[data-status=done]')).toBeVisible();

  // Times within the video are buttons; 45:00 in a two-minute video names nothing and is dropped.
  await expect(answer.locator('button.time')).toHaveCount(2);
  await expect(answer).not.toContainText('45:00');
  await expect(answer.getByRole('listitem').nth(2)).toHaveText('A claim the video never makes.');

  // Each time shows the passage being said then, the one under its own chapter.
  for (const [time, said] of [
    ['0:47', 'The Vienna to Paris line now runs three times a week.'],
    ['0:12', 'Night trains are returning to Europe after decades of decline.'],
  ] as const) {
    await answer.getByRole('button', { name: `Play the video from ${time}` }).hover();
    await expect(panel.getByTestId('cite-quote')).toContainText(said);
  }
  await answer.getByRole('button', { name: 'Play the video from 0:47' }).focus();
  await expect(panel.getByTestId('cite-quote')).toContainText('three times a week');
  await expect(panel.getByTestId('cite-quote')).not.toContainText('decades of decline');

  // A follow-up's times do the same, and its time past the end is not linked either.
  const thread = await askFollowUp(panel.locator('aside'), 'When are the prices?');
  await expect(thread.locator('button.time')).toHaveCount(1);
  await expect(thread).not.toContainText('9:59');
  await thread.getByRole('button', { name: 'Play the video from 1:35' }).hover();
  await expect(panel.getByTestId('cite-quote')).toHaveText('Tickets start at thirty euros for a seat.');
  await thread.getByRole('button', { name: 'Play the video from 1:35' }).click();
  await expect.poll(() => page.evaluate(() => document.querySelector('video')!.currentTime)).toBe(95);
});
