// A long chat stays light: each turn costs the same messages and DOM work at turn 50 as at turn 5,
// and the popup's heap stays small. (Time per turn is a benchmark matter, not a test's.)
import { expect, test } from './fixtures';

const turns = 50;

test(`a ${turns}-turn chat keeps each turn's work and the popup's heap flat`, async ({ extension, mock }) => {
  test.setTimeout(120_000);
  mock.set({ reply: ({ messages }) => `Answer ${messages.filter((m) => m.role === 'user').length}: ${'a fairly ordinary sentence of an answer. '.repeat(6)}` });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: 'sk-test-long-chat' });
  const popup = await extension.openExtensionPage('popup.html');
  const worker = await extension.worker();
  const traffic = () => worker.evaluate(() => ({ ...(globalThis as any).precisTest.traffic }) as { messages: number; ports: number });
  await popup.evaluate(() => {
    const w = window as unknown as { precisMutations: number };
    w.precisMutations = 0;
    new MutationObserver((r) => (w.precisMutations += r.length)).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  const cdp = await extension.context.newCDPSession(popup);
  const heapMiB = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize / 2 ** 20;
  };

  const box = popup.getByRole('textbox', { name: /Ask anything/ });
  const cost: { messages: number; mutations: number; ms: number }[] = [];
  const heap: number[] = [];
  for (let i = 1; i <= turns; i++) {
    const started = Date.now();
    const before = await traffic();
    const mutationsBefore = await popup.evaluate(() => (window as unknown as { precisMutations: number }).precisMutations);
    await box.fill(`Question ${i}?`);
    await box.press('Enter');
    const turn = popup.getByTestId('assistant-turn').nth(i - 1);
    await expect(turn).toContainText(`Answer ${i}:`);
    await expect(turn.getByRole('button', { name: 'Copy' })).toBeVisible();
    const after = await traffic();
    const mutations = (await popup.evaluate(() => (window as unknown as { precisMutations: number }).precisMutations)) - mutationsBefore;
    // Time is printed for the record, not asserted: a busy machine makes it noise.
    cost.push({ messages: after.messages + after.ports - before.messages - before.ports, mutations, ms: Date.now() - started });
    if (i === 5 || i === turns) heap.push(await heapMiB());
  }
  const worst = (from: number, to: number, key: 'messages' | 'mutations') => Math.max(...cost.slice(from, to).map((c) => c[key]));
  const summary = JSON.stringify({ first: cost.slice(0, 10), last: cost.slice(-10), heapMiB: heap });
  console.log(summary);
  // Work per turn does not grow with the length of the chat.
  expect(worst(turns - 10, turns, 'messages'), summary).toBeLessThanOrEqual(worst(2, 12, 'messages') + 1);
  expect(worst(turns - 10, turns, 'mutations'), summary).toBeLessThanOrEqual(worst(2, 12, 'mutations') * 1.5 + 10);
  expect(heap.at(-1)!, summary).toBeLessThanOrEqual(10);
});
