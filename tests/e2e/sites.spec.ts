// The busiest sites under their real host names (tests/support/fake-sites.ts): each page is read
// by its site reader (lib/extract/sites), so the model gets the thread with who replied to whom,
// or the article without its references, and none of the site's navigation.
import { expect, sidebar, test } from './fixtures';

const key = 'sk-test-1234567890abcdef';

test.beforeEach(async ({ extension, mock }) => {
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  mock.set({ reply: 'A summary.' });
});

const cases: { site: string; url: string; sent: string[]; notSent: string[] }[] = [
  {
    site: 'Hacker News',
    url: 'https://news.ycombinator.com/item?id=12345678',
    sent: [
      '# A Sample Article',
      '**author_one** · 150 points',
      '> > **commenter_two** · 2025-01-15 · replying to commenter_one\n> > I agree.',
      '> > > **commenter_one** · 2025-01-15 · replying to commenter_two\n> > > Exactly.',
    ],
    notSent: ['45 comments', '3 hours ago'],
  },
  {
    site: 'old Reddit',
    url: 'https://old.reddit.com/r/test/comments/abc123/test_post/',
    sent: ['This is the post body', '> > **user_beta** · 15 points · 2025-01-15 · replying to user_alpha', '> > **user_gamma** · 3 points · 2025-01-15 · replying to user_alpha'],
    notSent: ['2 days ago'],
  },
  {
    site: 'new Reddit',
    url: 'https://www.reddit.com/r/travel/comments/xyz789/which_night_train/',
    sent: ['Sleeper or couchette?', '> > **budgetbackpacker** · 88 points · 2026-11-20 · replying to sleeperfan', '> **conductor_eu** · 45 points'],
    notSent: ['Popular', 'Community rules', 'User Agreement', 'Reply Award Share'],
  },
  {
    site: 'GitHub',
    url: 'https://github.com/kepano/defuddle/issues/56',
    sent: ['# Defuddle on Cloudflare Workers · Issue #56', '**jmorrell** · Contributor · 2025-05-25', '> **masylum** · 2025-06-02', 'const sheets = Array.from(doc.styleSheets ?? [])'],
    notSent: ['Skip to content', 'Issue body actions', 'Terms'],
  },
  {
    site: 'Wikipedia',
    url: 'https://en.wikipedia.org/wiki/Obsidian_(software)',
    sent: ['# Obsidian (software)', '## History', 'Obsidian was created by Shida Li and Erica Xu'],
    notSent: ['Retrieved January 5, 2024', 'Navigation menu', '[1]', 'Jump to content'],
  },
  {
    site: 'X',
    url: 'https://x.com/main_user/status/1234567890',
    sent: ['**Main User (@main_user)** · 2026-05-16', '## Replies (1)\n\n> **Reply User (@reply_user)** · 2026-05-16\n> Reply that should be extracted'],
    notSent: [],
  },
  {
    site: 'Stack Overflow',
    url: 'https://stackoverflow.com/questions/927358/how-do-i-undo-the-most-recent-local-commits-in-git',
    sent: [
      '**Hamza Yerlikaya** · question · 26512 votes',
      '> **Esko Luontola** · accepted answer · 28401 votes',
      '> $ git reset HEAD~',
      '> > **Ryan Lundy** · 300 · replying to Esko Luontola',
    ],
    notSent: ['Hot Network Questions', 'Privacy Policy', 'Sorted by', 'Not the answer you'],
  },
];

for (const c of cases) {
  test(`${c.site}: the model gets the page's structure, without the site's navigation`, async ({ extension, mock }) => {
    const page = await extension.context.newPage();
    await page.goto(c.url);
    await extension.summariseFromMenu(page);
    await expect(sidebar(page).getByTestId('answer')).toHaveText('A summary.');
    const [request] = mock.completions();
    // Without the citation marks (¶n) numbering each unit: what is checked here is the structure.
    const user = (request!.body.messages as { content: string }[])
      .map((m) => m.content)
      .join('\n')
      .replace(/¶\d+ /g, '');
    for (const text of c.sent) expect(user).toContain(text);
    for (const text of c.notSent) expect(user).not.toContain(text);
  });
}
