import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 15_000,
    // Vitest leaves a core free by default: on the 2-core machines the suite runs on, that is one
    // worker, and the run mostly waits on imports (96 s with one worker, 58 s with two).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Threads sharing each worker's module cache: most of the run was importing the same modules
    // again for every file (64 s → 28 s on 2 cores). What a file could leak to the next is reset in
    // the setup file (IndexedDB, timers); the suite passes with its files shuffled (--sequence.shuffle.files).
    pool: 'threads',
    isolate: false,
    setupFiles: ['tests/unit/setup.ts'],
  },
});
