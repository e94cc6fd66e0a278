// `tsx bench/lib/build-extension.ts <mode> <outDir> <modules.json>`: builds the Chrome extension
// with WXT into a private output directory (so a benchmark never races `npm test` or another
// session's build over `.output/chrome-mv3*`) and writes, per output chunk, the rendered code of
// every module in it (rollup's view after tree-shaking, before minification), so a benchmark can
// say what a bundle is made of. Run as a child process: WXT sets `process.env.NODE_ENV`. Every
// mode builds the production code (wxt.config.ts).

import { writeFile } from 'node:fs/promises';
import { build } from 'wxt';

const [mode = 'production', outDir = '.output/bench-surfaces', modulesPath] = process.argv.slice(2);

interface RenderedModule {
  renderedLength: number;
  code: string | null;
}
const chunks: Record<string, Record<string, string>> = {};

await build({
  mode,
  outDir,
  hooks: {
    'vite:build:extendConfig': (_entrypoints, config) => {
      config.plugins = [
        ...(config.plugins ?? []),
        {
          name: 'bench-module-map',
          generateBundle(_options: unknown, bundle: Record<string, { type: string; modules?: Record<string, RenderedModule> }>) {
            for (const [file, chunk] of Object.entries(bundle)) {
              if (chunk.type !== 'chunk' || !chunk.modules) continue;
              chunks[file] = Object.fromEntries(Object.entries(chunk.modules).map(([id, m]) => [id, m.code ?? '']));
            }
          },
        },
      ];
    },
  },
});

if (modulesPath) await writeFile(modulesPath, JSON.stringify(chunks));
