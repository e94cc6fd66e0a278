import { defineConfig } from 'wxt';
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { rankTableAsset } from './lib/extract/tokenizer-ranks';
import { cmapsDir } from './lib/pdf/assets';

/** Hosts the e2e tests serve site pages under (tests/support/fake-sites.ts). */
const e2eSiteHosts = ['news.ycombinator.com', 'old.reddit.com', 'www.reddit.com', 'github.com', 'en.wikipedia.org', 'x.com', 'stackoverflow.com'];

// `--mode e2e` and `--mode demo` build the same extension plus host permissions, because
// automation cannot click the toolbar or grant `activeTab`. They are production builds of the same
// code: WXT sets NODE_ENV to the mode when none is set, and any NODE_ENV but 'production' gives
// React's development build (twice the bundle, several times slower to render), which the e2e
// tests then exercised instead of what ships.
const modeBuild = process.env.NODE_ENV === 'e2e' || process.env.NODE_ENV === 'demo';
if (modeBuild) process.env.NODE_ENV = 'production';

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  // Explicit imports: lib/ must never reach for `browser` by accident.
  imports: false,
  hooks: {
    // WXT defines a content script's `process.env.NODE_ENV` as the mode itself.
    'vite:build:extendConfig': (_entrypoints, config) => {
      if (modeBuild) config.define = { ...config.define, 'process.env.NODE_ENV': JSON.stringify('production') };
    },
    // An MV3 worker cannot import() at run time, so a bundled tokenizer would be parsed at every
    // worker start. Ship its rank table as a file instead, fetched the first time a page is long.
    'build:publicAssets': async (_wxt, files) => {
      const { default: ranks } = await import('gpt-tokenizer/bpeRanks/o200k_base');
      files.push({ relativeDest: rankTableAsset, contents: JSON.stringify(ranks) });
      // pdf.js's character maps (CJK PDFs), for the page that reads PDFs.
      const cmaps = resolve('node_modules/pdfjs-dist/cmaps');
      for (const name of await readdir(cmaps)) files.push({ absoluteSrc: resolve(cmaps, name), relativeDest: `${cmapsDir}/${name}` });
    },
  },
  manifest: ({ mode, browser }) => ({
    // e2e: a fixed public key gives the fixed id `lemkimjlaiammefjbofjaehdljgalfnc`, which managed
    // policy files name (tests/e2e/policy.ts). Only the public half; it signs nothing.
    ...(mode === 'e2e' && browser !== 'firefox' && { key: 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA3tlaHMMy1zOSxJN40GvKs/S1zOZ970EULZqCfj2ndlJ4ZeGepHUqOt2H57FbrZgYGaslTYfhNtTDWH4JRfhMsCF9KTwKlHwhJqrwMPmOaIz6vhctuMDL9sOmUvnCLey2AbkrtB+rNdUsXmZi3e3tvTRGEFOAj+1QLMDBNmrhMqVeXOvojwkl7FfdyxHhAvEwO13VTRJVo8vwu2jV7+iHoPbfmkVNhHs5QLknh7kXdrbvqzMHV00M2r3hLmEvudrKhJ0NjqQPd0cNcrf8ef1O99GfcbBaANptrjKBuiM4pqfcxQOq874IYMyj+B+Yi3awqB6COoRewcAbNzPFTlrdaQIDAQAB' }),
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // declarativeNetRequestWithHostAccess: the Origin rewrite for local servers (Ollama), which acts
    // only where we already have host access, and shows no install warning.
    // What an administrator may set (Chrome enterprise policy; Firefox's policies.json `3rdparty`
    // needs no schema).
    ...(browser !== 'firefox' && { storage: { managed_schema: 'managed_schema.json' } }),
    // offscreen (Chrome): a document for pdf.js, which a service worker cannot run. sidePanel is
    // added by WXT for entrypoints/sidepanel/ (Firefox: sidebar_action, no permission).
    permissions: ['activeTab', 'scripting', 'contextMenus', 'storage', 'alarms', 'declarativeNetRequestWithHostAccess', ...(browser === 'firefox' ? [] : ['offscreen'])],
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    // e2e: fixture pages and the mock LLM on 127.0.0.1, local files (as activeTab grants a file:// tab), and the real host names the tests serve
    // themselves (tests/support/fake-youtube.ts, fake-sites.ts). demo (`npm run demo`, never shipped): any page and API.
    host_permissions: mode === 'e2e' ? ['http://127.0.0.1/*', ...(browser === 'firefox' ? [] : ['file:///*']), 'https://www.youtube.com/*', ...e2eSiteHosts.map((host) => `https://${host}/*`)] : mode === 'demo' ? ['<all_urls>'] : [],
    ...(browser === 'firefox' && {
      // Firefox MV3 needs an id; 142 is the first release (desktop and Android) with every key we use.
      browser_specific_settings: {
        gecko: {
          id: 'precis@precis.example',
          strict_min_version: '142.0',
          // Page text goes to the model provider the user configured, and nowhere else.
          data_collection_permissions: { required: ['websiteContent'] },
        },
      },
    }),
    // The sidebar's frame, which its host puts into the page; nothing else is reachable from pages.
    web_accessible_resources: [{ resources: ['sidebar-frame.html'], matches: ['http://*/*', 'https://*/*'] }],
    commands: {
      'summarise-page': {
        suggested_key: { default: 'Alt+Shift+S' },
        description: '__MSG_commandSummarise__',
      },
    },
  }),
});
