// Firefox's surfaces as users see them, in English and Chinese, light and dark: the in-page sidebar
// with a follow-up, and the side panel with a PDF summary (the whole window, the panel beside the
// viewer). Saved to test-results/screenshots/firefox-*.png to be looked at; what the eye checks
// there, the assertions here check too: the text in its language, and every control in view.
import { textPdf } from '../support/pdfs';
import { startStaticServer } from '../support/static-server';
import { byLabel, expect, fill, test, waitFor } from './fixtures';

const summary = '**TL;DR** Night trains are back in Europe.\n\n- Demand exceeds seats on the Vienna to Paris line.\n- Subsidies decide which routes survive.';

/** Dark is dark and light is light: the sum of a background's channels (0–765). */
function expectScheme(background: string, scheme: 'light' | 'dark') {
  const brightness = background.match(/\d+/g)!.slice(0, 3).map(Number).reduce((a, b) => a + b, 0);
  if (scheme === 'dark') expect(brightness).toBeLessThan(200);
  else expect(brightness).toBeGreaterThan(600);
}

// Each language and each scheme once (the Chromium suite runs every pairing).
for (const [locale, scheme] of [['en', 'light'], ['zh_CN', 'dark']] as const) {
  test.describe(`${locale}, ${scheme}`, () => {
      test.use({ firefoxColorScheme: scheme });

      test(`the sidebar and the side panel in ${locale}, ${scheme}`, async ({ firefox, mock, site }) => {
        const m = firefox.marionette;
        mock.set({ reply: ({ messages }) => (messages.length > 2 ? 'Vienna to Paris.' : summary) });
        await firefox.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: 'sk-test-firefox-shots' });
        await firefox.background((_precis, browser, uiLocale) => browser.runtime.sendMessage({ type: 'prefs.save', patch: { uiLocale } }), locale);

        const url = `${site.url}/${locale === 'en' ? 'article' : 'zh-article'}.html`;
        const page = await firefox.openTab(url);
        await firefox.menu(url);
        await firefox.useSidebar(page);
        await waitFor(() => m.execute(() => !!document.querySelector('[data-status=done]')), 'the summary');
        await fill(m, await byLabel(m, locale === 'en' ? 'Ask a follow-up about this page…' : '就此页面继续提问…'), 'Which line?', { enter: true });
        await waitFor(async () => (await m.execute(() => document.body.innerText)).includes('Vienna to Paris.'), 'the follow-up answer');
        const looks = await m.execute(() => ({
          lang: document.documentElement.lang || document.querySelector('[lang]')?.getAttribute('lang'),
          background: getComputedStyle(document.body).backgroundColor,
          buttons: [...document.querySelectorAll('button')].filter((b) => b.offsetParent).map((b) => b.getBoundingClientRect().right <= innerWidth),
        }));
        expect(looks.lang).toBe(locale === 'en' ? 'en' : 'zh-CN');
        expectScheme(looks.background, scheme);
        expect(looks.buttons.every(Boolean)).toBe(true);
        await firefox.screenshot(`firefox-sidebar-${locale}-${scheme}`);

        const pdfs = await startStaticServer('tests/e2e/pages', { '/report.pdf': await textPdf(2, { title: 'Rail survey 2026' }) });
        try {
          await firefox.openTab(`${pdfs.url}/report.pdf`);
          await waitFor(async () => (await m.url()).endsWith('/report.pdf') && (await m.execute(() => document.readyState === 'complete')), 'the PDF viewer');
          await firefox.menu(`${pdfs.url}/report.pdf`);
          const panel = await waitFor(
            () =>
              firefox.inSidePanel((doc) =>
                doc.querySelector('[data-status=done]')
                  ? {
                      text: (doc.body as HTMLElement).innerText,
                      background: getComputedStyle(doc.body).backgroundColor,
                      // Every control fits the panel, which Firefox makes narrower than Chrome's.
                      clipped: [...doc.querySelectorAll('button, input')]
                        .filter((e) => (e as HTMLElement).offsetParent)
                        .filter((e) => e.getBoundingClientRect().right > doc.documentElement.clientWidth + 0.5)
                        .map((e) => e.outerHTML.slice(0, 80)),
                    }
                  : undefined,
              ),
            'the PDF summary in the side panel',
            30_000,
          );
          expect(panel.clipped).toEqual([]);
          expectScheme(panel.background, scheme);
          expect(panel.text).toContain('Night trains are back in Europe.');
          expect(panel.text).toContain(locale === 'en' ? 'Summarise a PDF file…' : '总结 PDF 文件…');
          await firefox.screenshot(`firefox-side-panel-${locale}-${scheme}`, { window: true });
        } finally {
          await pdfs.close();
        }
      });
    });
  }
