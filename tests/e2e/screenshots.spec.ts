// Looks at every surface in English and Chinese, light and dark, and keeps the pictures:
// test-results/ always, docs/ when UPDATE_SCREENSHOTS=1 (the README shows those).
import { highlighted, unitOf, userPrompt } from './citation-helpers';
import { expect, sidebar, test } from './fixtures';

const outDir = process.env.UPDATE_SCREENSHOTS ? 'docs' : 'test-results/screenshots';
const key = 'sk-test-screenshot-9f3a';

for (const [locale, suffix, strings] of [
  ['en-US', '', { save: 'Save', title: 'Precis settings', summarise: 'Summarise page', done: 'Done', copy: 'Copy', question: 'Why are night trains coming back?' }],
  ['zh-CN', '-zh', { save: '保存', title: 'Precis 设置', summarise: '总结此页面', done: '完成', copy: '复制', question: '夜间列车为什么回来了？' }],
] as const) {
  test.describe(`${locale} UI`, () => {
    test.use({ locale });

    test(`sidebar, options and popup render in ${locale}`, async ({ extension, mock, site }) => {
      mock.set({
        apiKey: key,
        reply:
          locale === 'en-US'
            ? '**TL;DR** Night trains are back in Europe.\n\nKey points\n- Demand on Vienna–Paris exceeds seats most nights.\n- Subsidies and flight-shy travellers drive the revival.\n- Costs are high: track charges, cross-border staff, idle stock.\n\nDetails worth keeping\n- Six countries pledged to share the cost of new carriages; twelve routes could follow.\n\nFor your trip\n- [x] Compare fares\n- [ ] Book a sleeper cabin'
            : '**一句话总结** 夜间列车重返欧洲。\n\n要点\n- 维也纳至巴黎线路多数夜晚一票难求。\n- 补贴与不愿乘短途航班的旅客推动了复兴。\n\n出行清单\n- [x] 比较票价\n- [ ] 预订卧铺',
      });
      await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });

      const page = await extension.context.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${site.url}/article.html`);
      await extension.summariseFromMenu(page);
      await expect(sidebar(page).getByText(strings.done)).toBeVisible();
      // Task items show as ballot boxes, not as broken form fields.
      await expect(sidebar(page).getByTestId('answer').getByText('☑')).toBeVisible();

      const options = await extension.openExtensionPage('options.html');
      await options.setViewportSize({ width: 900, height: 1400 });
      await expect(options.getByRole('heading', { name: strings.title })).toBeVisible();
      await expect(options.getByRole('button', { name: strings.save, exact: true })).toBeVisible();

      const popup = await extension.openExtensionPage('popup.html');
      await popup.setViewportSize({ width: 420, height: 580 });
      await expect(popup.getByRole('button', { name: strings.summarise })).toBeVisible();
      // The header's controls share one line: each is as tall as the primary button, none wraps its label.
      const heights = await popup.locator('.popup-header button').evaluateAll((buttons) => buttons.map((b) => Math.round(b.getBoundingClientRect().height)));
      const tops = await popup.locator('.popup-header button').evaluateAll((buttons) => buttons.map((b) => Math.round(b.getBoundingClientRect().top)));
      expect(heights.length).toBeGreaterThanOrEqual(3);
      expect(new Set(heights).size, `header button heights ${heights.join(', ')}`).toBe(1);
      expect(new Set(tops).size).toBe(1);
      const box = popup.getByRole('textbox');
      await box.fill(strings.question);
      await box.press('Enter');
      await expect(popup.getByTestId('assistant-turn').getByRole('button', { name: strings.copy })).toBeVisible();

      for (const colorScheme of ['light', 'dark'] as const) {
        const name = `${suffix}${colorScheme === 'dark' ? '-dark' : ''}.png`;
        for (const [surface, view] of [['sidebar', page], ['options', options], ['popup', popup]] as const) {
          await view.emulateMedia({ colorScheme });
          await view.screenshot({ path: `${outDir}/${surface}${name}` });
        }
      }
    });

    test(`citation chips, a passage's quote and its highlight in the page, in ${locale}`, async ({ extension, mock, site }) => {
      mock.set({
        apiKey: key,
        reply: ({ messages }) => {
          const prompt = userPrompt(messages);
          const cite = (text: string) => `¶${unitOf(prompt, text)}`;
          return locale === 'en-US'
            ? `## TL;DR\nNight trains are back in Europe. ${cite('Across Europe')}\n\n## Key points\n- Demand on Vienna–Paris exceeds seats most nights. ${cite('Vienna to Paris')}\n- Subsidies and flight-shy travellers drive the revival. ${cite('The revival is driven')}\n- Costs are high: track charges, cross-border staff, idle stock. ${cite('Running a night train')},${cite('ministers from six')}`
            : `## 一句话总结\n夜间列车重返欧洲。${cite('Across Europe')}\n\n## 要点\n- 维也纳至巴黎线路多数夜晚一票难求。${cite('Vienna to Paris')}\n- 补贴与不愿乘短途航班的旅客推动了复兴。${cite('The revival is driven')}\n- 成本高昂：线路使用费、跨境乘务、车辆白天闲置。${cite('Running a night train')},${cite('ministers from six')}`;
        },
      });
      await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
      const page = await extension.context.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${site.url}/article.html`);
      await extension.summariseFromMenu(page);
      const panel = sidebar(page);
      await expect(panel.getByText(strings.done)).toBeVisible();
      const chip = panel.locator('button.cite').nth(3);
      await chip.click();
      await expect.poll(async () => (await highlighted(page))?.text ?? '').toContain('Running a night train is expensive');
      await chip.hover();
      await expect(panel.getByTestId('cite-quote')).toContainText('Running a night train is expensive');
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await page.screenshot({ path: `${outDir}/citations${suffix}${colorScheme === 'dark' ? '-dark' : ''}.png` });
      }
    });
  });
}
