// The policy while Chrome's policy service is still starting: the last one read, never a stall
// once one is known, and not "unmanaged" on a profile that has not read one yet unless the service
// has not answered in policyPatienceMs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPolicySource, lastPolicyKey, policyPatienceMs } from '../../../lib/app/policy-source';
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

  describe('a service that does not answer (Chrome 156, some fresh profiles)', () => {
    afterEach(() => void vi.useRealTimers());

    it('is waited for once, then taken as unmanaged without asking again, until it answers', async () => {
      vi.useFakeTimers();
      const browser = startingBrowser({ reason: 'IT' });
      const local = memoryArea();
      const policy = createPolicySource(browser.read, local);
      let first: unknown;
      void policy().then((p) => (first = p));
      await vi.advanceTimersByTimeAsync(policyPatienceMs - 1);
      expect(first).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(first).toEqual({});
      // Later requests do not wait again, and the service is not asked once per caller.
      expect(await policy()).toEqual({});
      expect(browser.reads()).toBe(1);
      // Nothing was stored as "the last policy": it was a guess.
      expect(await local.get(lastPolicyKey)).toBeUndefined();
      browser.start();
      await vi.waitFor(async () => expect(await policy()).toEqual({ reason: 'IT' }));
      expect(await local.get(lastPolicyKey)).toEqual({ reason: 'IT' });
    });
  });
});
