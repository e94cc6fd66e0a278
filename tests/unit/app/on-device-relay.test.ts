import { describe, expect, it } from 'vitest';
import { createOnDeviceRelay } from '../../../lib/app/on-device-relay';
import type { JobIo } from '../../../lib/jobs/runner';
import { fakePort } from './fake-platform';

function relay() {
  const asked: { tabId: number; token?: string }[] = [];
  const tabs = {
    active: async () => undefined,
    get: async () => undefined,
    inject: async () => {},
    navigate: async () => {},
    async send(tabId: number, request: { type: string; token?: string }) {
      asked.push({ tabId, ...(request.token && { token: request.token }) });
      return request.type === 'ondevice.ready' ? true : undefined;
    },
  };
  const text: string[] = [];
  const io = { onDelta: (t: string) => void text.push(t) } as unknown as JobIo;
  return { r: createOnDeviceRelay(tabs as never, () => 'tok'), asked, io, text };
}

describe('the on-device model relay', () => {
  it('streams what the asked tab sends, and settles on done', async () => {
    const { r, io, text, asked } = relay();
    expect(await r.model.ready(3)).toBe(true);
    const running = r.model.run(3, io);
    const page = fakePort('ondevice:tok');
    expect(r.accept(page.port, 3)).toBe(true);
    page.send({ type: 'delta', text: 'Night trains ' });
    page.send({ type: 'delta', text: 'are back.' });
    page.send({ type: 'done' });
    await running;
    expect(text.join('')).toBe('Night trains are back.');
    expect(asked.at(-1)).toEqual({ tabId: 3, token: 'tok' });
  });

  it('turns the page’s error and a closed page into errors the job shows', async () => {
    const failed = relay();
    const running = failed.r.model.run(3, failed.io);
    const page = fakePort('ondevice:tok');
    failed.r.accept(page.port, 3);
    page.send({ type: 'error', message: 'The model is still downloading.' });
    await expect(running).rejects.toMatchObject({ kind: 'on_device', message: 'The model is still downloading.' });

    const closed = relay();
    const cut = closed.r.model.run(3, closed.io);
    const gone = fakePort('ondevice:tok');
    closed.r.accept(gone.port, 3);
    gone.close();
    await expect(cut).rejects.toMatchObject({ kind: 'stream_cut' });
  });

  it('refuses an unknown token, another tab, and a second port for the same token', () => {
    const { r, io } = relay();
    void r.model.run(3, io).catch(() => {});
    const unknown = fakePort('ondevice:other');
    expect(r.accept(unknown.port, 3)).toBe(true);
    expect(unknown.disconnected()).toBe(true);
    const otherTab = fakePort('ondevice:tok');
    r.accept(otherTab.port, 4);
    expect(otherTab.disconnected()).toBe(true);
    const first = fakePort('ondevice:tok');
    r.accept(first.port, 3);
    expect(first.disconnected()).toBe(false);
    const second = fakePort('ondevice:tok');
    r.accept(second.port, 3);
    expect(second.disconnected()).toBe(true);
    expect(r.accept(fakePort('job:abc').port, 3)).toBe(false);
  });
});
