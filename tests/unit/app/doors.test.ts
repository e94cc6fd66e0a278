import { describe, expect, it, vi } from 'vitest';
import { answer, classifySender, jobPortRequest, mayAsk, panelPortTab, type Handlers, type Sender } from '../../../lib/app/doors';
import { protocol, type RequestOf, type RequestType } from '../../../lib/app/protocol';
import { self } from './fake-platform';

/** One well-formed request of every type: the compiler checks the table is complete and each is valid. */
const samples: { [T in RequestType]: RequestOf<T> } = {
  'settings.get': { type: 'settings.get' },
  'settings.save': { type: 'settings.save', settings: { presetId: 'custom', baseUrl: 'https://api.example/v1', model: 'm' } },
  'settings.test': { type: 'settings.test' },
  'vault.unlock': { type: 'vault.unlock', passphrase: 'correct horse' },
  'vault.lock': { type: 'vault.lock' },
  'summarise.activeTab': { type: 'summarise.activeTab' },
  'summarise.thisTab': { type: 'summarise.thisTab', regenerate: false },
  'summarise.pdfFile': { type: 'summarise.pdfFile', tabId: 3, url: 'blob:chrome-extension://precis-test-id/5f2c', name: 'report.pdf' },
  'panel.content': { type: 'panel.content', tabId: 3 },
  'job.stop': { type: 'job.stop', jobId: 'j1' },
  'job.forget': { type: 'job.forget', jobId: 'j1' },
  'options.open': { type: 'options.open' },
  'video.seek': { type: 'video.seek', seconds: 83 },
  'sidebar.content': { type: 'sidebar.content' },
  'citation.show': { type: 'citation.show', jobId: 'j1', unit: 3 },
  'citation.quote': { type: 'citation.quote', jobId: 'j1', unit: 3 },
  'pdf.open': { type: 'pdf.open', jobId: 'j1', page: 3 },
  'pdf.quote': { type: 'pdf.quote', jobId: 'j1', page: 3 },
  'video.quote': { type: 'video.quote', jobId: 'j1', seconds: 47 },
  'welcome.open': { type: 'welcome.open' },
  'cache.stats': { type: 'cache.stats' },
  'chat.list': { type: 'chat.list' },
  'chat.get': { type: 'chat.get', conversationId: 'c1' },
  'chat.send': { type: 'chat.send', text: 'Why?', attachPage: false },
  'chat.retry': { type: 'chat.retry', conversationId: 'c1' },
  'chat.forPage': { type: 'chat.forPage' },
  'chat.delete': { type: 'chat.delete', conversationId: 'c1' },
  'models.list': { type: 'models.list' },
  'prefs.get': { type: 'prefs.get' },
  'prefs.save': { type: 'prefs.save', patch: { attemptLimit: 3 } },
  'library.list': { type: 'library.list', text: 'train', kind: 'summary' },
  'library.get': { type: 'library.get', id: 'summary:j1' },
  'library.delete': { type: 'library.delete', id: 'chat:c1' },
  'library.markdown': { type: 'library.markdown' },
  'privacy.export': { type: 'privacy.export' },
  'privacy.deleteAll': { type: 'privacy.deleteAll' },
};

const types = Object.keys(protocol) as RequestType[];
const page: Sender = { kind: 'page' };
const contentScript: Sender = { kind: 'tab', tab: { id: 7, url: 'https://news.example/' } };

/** Handlers that record who was let through; each answers with its own type's name. */
function recordingHandlers() {
  const calls: string[] = [];
  const handlers = Object.fromEntries(types.map((type) => [type, vi.fn(() => (calls.push(type), type))])) as unknown as Handlers;
  return { handlers, calls };
}

describe('who is asking', () => {
  it('tells our extension pages, our content scripts and everyone else apart', () => {
    expect(classifySender({ id: self.id, url: `${self.pagesOrigin}popup.html` }, self)).toEqual({ kind: 'page' });
    expect(classifySender({ id: self.id, url: 'https://news.example/', tab: { id: 3, url: 'https://news.example/' } }, self)).toEqual({
      kind: 'tab',
      tab: { id: 3, url: 'https://news.example/' },
    });
    // Another extension, even one that names our pages' URL.
    expect(classifySender({ id: 'someone-else', url: `${self.pagesOrigin}popup.html` }, self)).toEqual({ kind: 'stranger' });
    // Our id but neither a page of ours nor a tab: nothing to act for.
    expect(classifySender({ id: self.id, url: 'https://news.example/' }, self)).toEqual({ kind: 'stranger' });
    // Our page in a tab of its own (options) is a page; framed in a web page (the sidebar's frame,
    // or any page framing it) it acts only for that tab.
    expect(classifySender({ id: self.id, url: `${self.pagesOrigin}options.html`, tab: { id: 4, url: `${self.pagesOrigin}options.html` } }, self)).toEqual({ kind: 'page' });
    expect(classifySender({ id: self.id, url: `${self.pagesOrigin}sidebar-frame.html`, tab: { id: 5, url: 'https://news.example/' } }, self)).toEqual({
      kind: 'tab',
      tab: { id: 5, url: 'https://news.example/' },
    });
    expect(classifySender({ id: self.id, url: `${self.pagesOrigin}sidebar-frame.html`, tab: { id: 5 } }, self)).toEqual({ kind: 'tab', tab: { id: 5 } });
    // A look-alike origin is not one of our pages.
    expect(classifySender({ id: self.id, url: 'chrome-extension://precis-test-id-evil/popup.html' }, self)).toEqual({ kind: 'stranger' });
  });
});

describe('the door rules', () => {
  it('has a sample for every message type, each of which passes its schema', async () => {
    const { handlers, calls } = recordingHandlers();
    for (const type of types) expect(await answer(handlers, samples[type], page), type).toEqual({ ok: true, value: type });
    expect(calls).toEqual(types);
  });

  it.each(types.filter((type) => protocol[type].audience === 'page'))('refuses %s from a content script, before its handler runs', async (type) => {
    const { handlers, calls } = recordingHandlers();
    const reply = await answer(handlers, samples[type], contentScript);
    expect(reply).toEqual({ ok: false, error: { kind: 'forbidden', message: 'Not allowed from a web page' } });
    expect(calls).toEqual([]);
    expect(mayAsk(type, contentScript)).toBe(false);
  });

  it.each(types.filter((type) => protocol[type].audience === 'tab'))('lets a content script send %s, for its own tab', async (type) => {
    const { handlers } = recordingHandlers();
    expect(await answer(handlers, samples[type], contentScript)).toEqual({ ok: true, value: type });
    expect(handlers[type]).toHaveBeenCalledWith(expect.objectContaining({ type }), contentScript);
  });

  it('lets content scripts do only what the sidebar needs', () => {
    expect(types.filter((type) => protocol[type].audience === 'tab').sort()).toEqual(
      ['chat.forPage', 'citation.quote', 'citation.show', 'chat.get', 'chat.retry', 'chat.send', 'job.forget', 'job.stop', 'options.open', 'prefs.get', 'sidebar.content', 'summarise.thisTab', 'video.quote', 'video.seek'].sort(),
    );
  });

  it('does not answer strangers at all', async () => {
    const { handlers, calls } = recordingHandlers();
    expect(await answer(handlers, samples['settings.get'], { kind: 'stranger' })).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('rejects malformed messages with the schema problem, from anyone', async () => {
    const { handlers, calls } = recordingHandlers();
    for (const sender of [page, contentScript]) {
      const reply = await answer(handlers, { type: 'job.stop', jobId: 7 }, sender);
      expect(reply).toMatchObject({ ok: false, error: { kind: 'invalid_message', message: expect.stringMatching(/^[A-Z].*\.$/) } });
      expect(await answer(handlers, { type: 'eval', code: '1' }, sender)).toMatchObject({ ok: false, error: { kind: 'invalid_message' } });
    }
    expect(calls).toEqual([]);
  });

  it('returns a handler failure as the error it is, not as a crash', async () => {
    const { handlers } = recordingHandlers();
    handlers['chat.get'] = () => Promise.reject(Object.assign(new TypeError('boom')));
    expect(await answer(handlers, samples['chat.get'], page)).toEqual({ ok: false, error: { kind: 'internal', message: 'Something went wrong inside Precis: boom' } });
  });

  it('names the job a port follows only for senders of ours', () => {
    expect(jobPortRequest({ name: 'job:abc' }, page)).toBe('abc');
    expect(jobPortRequest({ name: 'job:abc' }, contentScript)).toBe('abc');
    expect(jobPortRequest({ name: 'job:abc' }, { kind: 'stranger' })).toBeUndefined();
    expect(jobPortRequest({ name: 'job:' }, page)).toBeUndefined();
    expect(jobPortRequest({ name: 'ondevice:abc' }, page)).toBeUndefined();
  });
});

describe('panelPortTab', () => {
  it('names the tab a side panel shows, only for our own pages', () => {
    expect(panelPortTab({ name: 'panel:42' }, page)).toBe(42);
    expect(panelPortTab({ name: 'panel:42' }, contentScript)).toBeUndefined();
    expect(panelPortTab({ name: 'panel:42' }, { kind: 'stranger' })).toBeUndefined();
    expect(panelPortTab({ name: 'panel:x' }, page)).toBeUndefined();
    expect(panelPortTab({ name: 'job:42' }, page)).toBeUndefined();
  });
});
