import { describe, expect, it } from 'vitest';
import { onDeviceReady, summariseOnDevice, type SummarizerApi } from '../../../lib/offline/on-device';

function fakeApi(availability: string, chunks: string[], quota = 100) {
  const created: Record<string, unknown>[] = [];
  const inputs: string[] = [];
  let destroyed = 0;
  const api: SummarizerApi = {
    availability: async () => availability,
    async create(options) {
      created.push(options);
      return {
        inputQuota: quota,
        summarizeStreaming: (input) => {
          inputs.push(input);
          return new ReadableStream<string>({
            start(c) {
              for (const chunk of chunks) c.enqueue(chunk);
              c.close();
            },
          });
        },
        destroy: () => void destroyed++,
      };
    },
  };
  return { api, created, inputs, destroyed: () => destroyed };
}

async function collect(it: AsyncIterable<string>) {
  const out: string[] = [];
  for await (const d of it) out.push(d);
  return out;
}

describe('on-device summaries', () => {
  it('is used only when the model is already downloaded', async () => {
    expect(await onDeviceReady(undefined)).toBe(false);
    expect(await onDeviceReady(fakeApi('downloadable', []).api)).toBe(false);
    expect(await onDeviceReady(fakeApi('available', []).api)).toBe(true);
    expect(await onDeviceReady({ availability: () => Promise.reject(new Error('no')), create: () => Promise.reject(new Error('no')) })).toBe(false);
  });

  it('streams deltas whether the browser sends deltas or the text so far, and cleans up', async () => {
    const deltas = fakeApi('available', ['- One', ' point.', '\n- Two.']);
    expect((await collect(summariseOnDevice(deltas.api, 'page text', 'T'))).join('')).toBe('- One point.\n- Two.');
    expect(deltas.destroyed()).toBe(1);
    expect(deltas.created[0]).toMatchObject({ type: 'key-points', format: 'markdown' });

    const cumulative = fakeApi('available', ['- One', '- One point.', '- One point.\n- Two.']);
    expect(await collect(summariseOnDevice(cumulative.api, 'page text', 'T'))).toEqual(['- One', ' point.', '\n- Two.']);
  });

  it('gives the model no more than its window can take', async () => {
    const fake = fakeApi('available', ['ok'], 10);
    await collect(summariseOnDevice(fake.api, 'x'.repeat(1_000), 'T'));
    expect(fake.inputs[0]).toHaveLength(30);
  });
});
