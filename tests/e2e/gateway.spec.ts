// Precis behind a real gateway (Portkey's open-source one, pinned in package.json) in front of the
// mock model server: the team's headers pass through, the gateway's own errors and retries read
// clearly, and the rate limits it passes on pace Precis.
//
// Found here: Portkey 1.15.2 (and 1.9.8) on Node 20 fails every *successful streamed* answer it
// passes through ("TypeError: immutable" appending its headers to the upstream response), and
// answers 500 with `x-portkey-gateway-exception: true`. Non-streamed answers and errors pass.
import { startGateway, type Gateway } from '../support/gateway';
import type { MockLlm } from '../support/mock-llm';
import { expect, sidebar, test, type Extension } from './fixtures';

let gateway: Gateway;
test.beforeAll(async () => {
  gateway = await startGateway();
});
test.afterAll(() => gateway.close());

/** Precis pointed at the gateway as the README tells a team to: its base URL plus Portkey's headers. */
const throughGateway = (extension: Extension, mock: MockLlm, headers: Record<string, string> = {}) =>
  extension.configure({
    baseUrl: gateway.baseUrl,
    model: 'mock-model',
    apiKey: 'sk-upstream-key',
    headers: { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': mock.baseUrl, ...headers },
  });

test('the key and the team’s headers pass through, and the gateway’s own retries stay its own', async ({ extension, mock }) => {
  mock.set({ reply: 'OK' });
  mock.fail({ kind: 'status', status: 503, body: { error: { message: 'Upstream overloaded' } } });
  await throughGateway(extension, mock, {
    'x-team': 'example-corp',
    'x-portkey-forward-headers': 'x-team',
    'x-portkey-config': JSON.stringify({ retry: { attempts: 2, on_status_codes: [503] } }),
  });
  const options = await extension.openExtensionPage('options.html');
  await options.getByRole('button', { name: 'Test connection' }).click();
  await expect(options.getByTestId('notice')).toContainText('Answered in');
  // The gateway asked twice; Precis once, and saw only the answer.
  expect(mock.completions()).toHaveLength(2);
  const request = mock.completions().at(-1)!;
  expect(request.headers.authorization).toBe('Bearer sk-upstream-key');
  expect(request.headers['x-team']).toBe('example-corp');
});

test('the gateway’s own errors read as the gateway’s, in its words', async ({ extension, mock, site }) => {
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await throughGateway(extension, mock, { 'x-portkey-provider': 'not-a-provider' });
  await extension.summariseFromMenu(page);
  await expect(sidebar(page).getByRole('alert')).toContainText('Invalid provider passed');
  expect(mock.completions()).toHaveLength(0);

  // The streamed answer it fails on (see the top of this file): said once, as the gateway's failure.
  mock.set({ reply: 'Lost in the gateway.' });
  await throughGateway(extension, mock);
  await page.reload();
  await extension.summariseFromMenu(page);
  await expect(sidebar(page).getByRole('alert')).toContainText('Your gateway failed by itself (500)');
  expect(mock.completions()).toHaveLength(1);
});

test('a rate limit the gateway passes on is paced from its Retry-After', async ({ extension, mock, site }) => {
  mock.fail({ kind: 'status', status: 429, headers: { 'retry-after': '3' }, body: { error: { message: 'Rate limit reached', code: 'rate_limit_exceeded' } } });
  await throughGateway(extension, mock);
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  await expect(sidebar(page).getByRole('status')).toContainText(/Rate limited by the provider, retrying in [1-3] s/);
  // Asked again only once the gateway's Retry-After has passed.
  await expect.poll(() => mock.completions().length, { timeout: 10_000 }).toBe(2);
  const [first, second] = mock.completions();
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(2_500);
});
