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
  },
});
