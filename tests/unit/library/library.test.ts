import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { load } from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { dexieJobStore, openDb, type PrecisDb } from '../../../lib/db';
import { conversationStore } from '../../../lib/chat/store';
import type { Conversation } from '../../../lib/chat/conversation';
import type { JobRecord } from '../../../lib/jobs/runner';
import { createLibrary } from '../../../lib/library/library';

let db: PrecisDb;
afterEach(async () => {
  db?.close();
  await db?.delete();
});

function summary(id: string, at: number, title: string, url: string | undefined, text: string, extra: Partial<JobRecord> = {}): JobRecord {
  return {
    id,
    kind: 'summary',
    title,
    status: 'done',
    text,
    createdAt: at,
    updatedAt: at,
    requestHashes: [],
    ...(url && { source: { kind: 'page', tabId: 1, url } }),
    ...extra,
  };
}

function chat(id: string, at: number, question: string, answer: string, page?: Conversation['page']): Conversation {
  return {
    id,
    title: question,
    createdAt: at,
    updatedAt: at,
    turns: [
      { role: 'user', content: question, at },
      { role: 'assistant', content: answer, at },
    ],
    ...(page && { page }),
  };
}

async function filled() {
  db = openDb(`library-${Math.random()}`);
  const jobs = dexieJobStore(db);
  const chats = conversationStore(db);
  await jobs.put(summary('s1', 100, 'Night trains', 'https://news.example/trains', 'Sleeper trains are back in Europe.'));
  await jobs.put(summary('s2', 300, '夜行列车', 'https://cn.example/a', '夜行列车回来了。'));
  await jobs.put(summary('s3', 200, 'Still running', 'https://news.example/x', 'partial', { status: 'running' }));
  await jobs.put({ ...summary('c-job', 250, 'Chat answer', undefined, 'An answer'), kind: 'chat' });
  await chats.put(chat('c1', 400, 'Which trains run at night?', 'The Nightjet does.', { url: 'https://news.example/trains', title: 'Night trains', text: 'page text' }));
  await chats.put(chat('c2', 50, 'Hello', 'Hi there, a general chat.'));
  return { library: createLibrary(db), jobs, chats };
}

describe('library', () => {
  it('lists finished summaries and chats newest first, with every site for the filter', async () => {
    const { library } = await filled();
    const listing = await library.list();
    expect(listing.entries.map((e) => e.id)).toEqual(['chat:c1', 'summary:s2', 'summary:s1', 'chat:c2']);
    expect(listing.sites).toEqual(['cn.example', 'news.example']);
    expect(listing.entries[2]).toMatchObject({ kind: 'summary', title: 'Night trains', url: 'https://news.example/trains', site: 'news.example', at: 100 });
    expect(listing.truncated).toBe(false);
  });

  it('finds by words of the title, URL and text, as typed, and by Chinese', async () => {
    const { library } = await filled();
    const ids = async (text: string) => (await library.list({ text })).entries.map((e) => e.id);
    expect(await ids('sleep')).toEqual(['summary:s1']);
    expect(await ids('nightjet')).toEqual(['chat:c1']);
    expect(await ids('trains europe')).toEqual(['summary:s1']);
    expect(await ids('cn.example')).toEqual(['summary:s2']);
    expect(await ids('列车')).toEqual(['summary:s2']);
    expect(await ids('partial')).toEqual([]);
    expect(await ids('page text')).toEqual([]);
  });

  it('filters by kind and site, alone or with words', async () => {
    const { library } = await filled();
    const ids = async (q: Parameters<typeof library.list>[0]) => (await library.list(q)).entries.map((e) => e.id);
    expect(await ids({ kind: 'chat' })).toEqual(['chat:c1', 'chat:c2']);
    expect(await ids({ site: 'news.example' })).toEqual(['chat:c1', 'summary:s1']);
    expect(await ids({ site: 'news.example', kind: 'summary' })).toEqual(['summary:s1']);
    expect(await ids({ site: 'news.example', text: 'nightjet' })).toEqual(['chat:c1']);
  });

  it('opens, exports and deletes one entry; views never see the index fields', async () => {
    const { library, jobs, chats } = await filled();
    expect(await jobs.get('s1')).not.toHaveProperty('words');
    expect(await chats.get('c1')).not.toHaveProperty('words');
    const item = await library.get('chat:c1');
    expect(item?.body).toBe('## You\n\nWhich trains run at night?\n\n## Precis\n\nThe Nightjet does.');
    const file = await library.markdown('summary:s1');
    expect(file?.fileName).toBe('Night trains.md');
    expect(load(/^---\n([\s\S]*?)\n---/.exec(file!.markdown)![1]!)).toMatchObject({ title: 'Night trains', url: 'https://news.example/trains' });
    await library.remove('summary:s1');
    expect(await library.get('summary:s1')).toBeUndefined();
    expect((await library.list({ text: 'sleeper' })).entries).toEqual([]);
    expect(await library.get('nonsense')).toBeUndefined();
    expect(await library.get('summary:s3')).toBeUndefined();
  });

  it('lists a summary shown again from the cache once, at its latest, and deleting it deletes its repeats', async () => {
    const { library, jobs } = await filled();
    await jobs.put(summary('s1-again', 500, 'Night trains', 'https://news.example/trains', 'Sleeper trains are back in Europe.', { cachedAt: 100 }));
    // Another page with the same words is another summary.
    await jobs.put(summary('s1-elsewhere', 450, 'Night trains', 'https://other.example/trains', 'Sleeper trains are back in Europe.'));
    expect((await library.list({ text: 'sleeper' })).entries.map((e) => e.id)).toEqual(['summary:s1-again', 'summary:s1-elsewhere']);
    expect((await library.markdown())!.markdown.match(/^title: /gm)).toHaveLength(5);
    await library.remove('summary:s1-again');
    expect((await library.list({ text: 'sleeper' })).entries.map((e) => e.id)).toEqual(['summary:s1-elsewhere']);
    expect(await jobs.get('s1')).toBeUndefined();
  });

  it('exports everything in one file', async () => {
    const { library } = await filled();
    const file = await library.markdown();
    expect(file?.fileName).toBe('precis-library.md');
    expect(file?.markdown.match(/^title: /gm)).toHaveLength(4);
  });

  it('bounds a page of results and says there is more', async () => {
    const { library } = await filled();
    const small = createLibrary(db, { limit: 2 });
    expect((await small.list()).entries).toHaveLength(2);
    expect((await small.list()).truncated).toBe(true);
    expect((await library.list()).truncated).toBe(false);
  });

  it('a summary that finishes enters the library; one that is stopped leaves it', async () => {
    const { library, jobs } = await filled();
    await jobs.put(summary('s3', 200, 'Still running', 'https://news.example/x', 'Finished now.'));
    expect((await library.list({ text: 'finished' })).entries.map((e) => e.id)).toEqual(['summary:s3']);
    await jobs.put(summary('s3', 200, 'Still running', 'https://news.example/x', 'Finished now.', { status: 'stopped' }));
    expect((await library.list({ text: 'finished' })).entries).toEqual([]);
  });

  it('v4 → v5 indexes the summaries and chats stored before the library existed', async () => {
    const name = `library-migration-${Math.random()}`;
    const v4 = new Dexie(name);
    v4.version(4).stores({ jobs: 'id, status, updatedAt, *requestHashes', conversations: 'id, updatedAt, followUpOf' });
    // An old record: no source URL, no usage.
    const { source: _s, ...old } = summary('old', 10, 'Old page', undefined, 'Canals of Venice.');
    await v4.table('jobs').bulkPut([old, summary('err', 11, 'Failed', 'https://e.example/', '', { status: 'error' })]);
    await v4.table('conversations').put(chat('oldchat', 12, 'Gondolas?', 'Yes, gondolas.'));
    v4.close();

    db = openDb(name);
    const library = createLibrary(db);
    expect((await library.list()).entries.map((e) => e.id)).toEqual(['chat:oldchat', 'summary:old']);
    expect((await library.list({ text: 'canals' })).entries[0]).toMatchObject({ title: 'Old page', at: 10 });
    expect((await library.list({ text: 'gondola' })).entries.map((e) => e.id)).toEqual(['chat:oldchat']);
    expect(await db.jobs.get('err')).not.toHaveProperty('words');
  });
});

describe('library entries', () => {
  it('preview a Markdown answer as plain words', async () => {
    const { summaryItem } = await import('../../../lib/library/entry');
    const item = summaryItem(summary('m', 1, 'T', undefined, '## Key points\n- **Fast** trains\n1. `Cheap` fares'));
    expect(item.preview).toBe('Key points Fast trains Cheap fares');
  });

  it('name a picked PDF file instead of linking its dead blob: URL, stored before the name was kept too', async () => {
    db = openDb(`library-${Math.random()}`);
    const jobs = dexieJobStore(db);
    const blob = 'blob:chrome-extension://abc/7f3e';
    await jobs.put(summary('f1', 10, 'Minutes 2026.pdf', undefined, 'Two decisions were taken.', { source: { kind: 'page', tabId: 3, url: blob, format: 'pdf', file: 'Minutes 2026.pdf' } }));
    await jobs.put(summary('f0', 5, 'Old scan.pdf', undefined, 'An older file summary.', { source: { kind: 'page', tabId: 3, url: `${blob}0`, format: 'pdf' } }));
    const library = createLibrary(db);
    const { entries } = await library.list({});
    expect(entries.map((e) => [e.title, e.file, e.url, e.site])).toEqual([
      ['Minutes 2026.pdf', 'Minutes 2026.pdf', undefined, undefined],
      ['Old scan.pdf', 'Old scan.pdf', undefined, undefined],
    ]);
    expect((await library.list({ text: 'minutes' })).entries.map((e) => e.id)).toEqual(['summary:f1']);
    const file = await library.markdown('summary:f1');
    expect(file!.markdown).not.toContain('blob:');
    expect(load(/^---\n([\s\S]*?)\n---/.exec(file!.markdown)![1]!)).toMatchObject({ title: 'Minutes 2026.pdf', file: 'Minutes 2026.pdf' });
  });
});

describe('library search by a short prefix', () => {
  it('finds the same entries newest first, without the index, and still bounds the page', async () => {
    const { library } = await filled();
    const ids = async (text: string) => (await library.list({ text })).entries.map((e) => e.id);
    expect(await ids('sl')).toEqual(['summary:s1']);
    expect(await ids('n')).toEqual(['chat:c1', 'summary:s1']);
    expect(await ids('nightjet t')).toEqual(['chat:c1']);
    expect((await createLibrary(db, { limit: 1 }).list({ text: 'n' })).truncated).toBe(true);
  });
});
