// Test files share their worker's module cache (vitest.config.ts, isolate off), so Dexie is imported
// once per worker and keeps the IndexedDB it found then: install the fake one before any test
// file, and give each file an empty one of its own. Timers and globals a file left faked go back.
import 'fake-indexeddb/auto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import Dexie from 'dexie';
import { afterAll, beforeAll, vi } from 'vitest';

beforeAll(() => {
  globalThis.indexedDB = new IDBFactory();
  Dexie.dependencies.indexedDB = globalThis.indexedDB;
  Dexie.dependencies.IDBKeyRange = IDBKeyRange;
});

afterAll(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});
