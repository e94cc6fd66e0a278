// The policy while Chrome's policy service is still starting: the last one read, never a stall
// once one is known, and never "unmanaged" on a profile that has not read one yet.
import { describe, expect, it } from 'vitest';
import { createPolicySource, lastPolicyKey } from '../../../lib/app/policy-source';
import { memoryArea } from './fake-platform';

/** storage.managed as Chrome has it at start: reads wait until `start` is called. */
function startingBrowser(raw: unknown) {
  let start!: () => void;
  const up = new Promise<void>((resolve) => (start = resolve));
  let reads = 0;
  return { read: async () => (reads++, await up, raw), start, reads: () => reads };
}

describe('policy source', () => {
  it('a first profile waits for the policy service: a team policy holds from the first request', async () => {
    const browser = startingBrowser({ baseUrl: 'https://gw.example/v1' });
    const policy = createPolicySource(browser.read, memoryArea());
    let answered: unknown;
    const pending = policy().then((p) => (answered = p));
    await Promise.resolve();
    expect(answered).toBeUndefined();
    browser.start();
    await pending;
    expect(answered).toEqual({ baseUrl: 'https://gw.example/v1' });
  });

  it('after a restart the last policy answers at once, and the live one takes over once it arrives', async () => {
    const local = memoryArea();
    await local.set(lastPolicyKey, { baseUrl: 'https://old.example/v1', models: [] });
    const browser = startingBrowser({ baseUrl: 'https://new.example/v1' });
    const policy = createPolicySource(browser.read, local);
    // Checked like a live one: the empty model list is dropped.
    expect(await policy()).toEqual({ baseUrl: 'https://old.example/v1' });
    browser.start();
    await expect.poll(async () => policy()).toEqual({ baseUrl: 'https://new.example/v1' });
    expect(await local.get(lastPolicyKey)).toEqual({ baseUrl: 'https://new.example/v1' });
  });

  it('follows a policy change once the service is up, and an unmanaged browser stays unmanaged', async () => {
    let raw: unknown = { reason: 'IT' };
    const policy = createPolicySource(async () => raw, memoryArea());
    expect(await policy()).toEqual({ reason: 'IT' });
    raw = { reason: 'New IT' };
    expect(await policy()).toEqual({ reason: 'New IT' });
    expect(await createPolicySource(undefined, memoryArea())()).toEqual({});
    expect(await createPolicySource(() => Promise.reject(new Error('no schema')), memoryArea())()).toEqual({});
  });
});
