// Builds the e2e flavour of the extension, for Chromium and for Firefox, once per run (the same code, plus a host permission for
// 127.0.0.1 that stands in for the activeTab grant automation cannot give).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const builds = ['.output/chrome-mv3-e2e', '.output/firefox-mv3-e2e'];

export default function globalSetup() {
  if (!process.env.PRECIS_SKIP_BUILD) {
    execFileSync('npx', ['wxt', 'build', '--mode', 'e2e'], { stdio: 'inherit' });
    execFileSync('npx', ['wxt', 'build', '-b', 'firefox', '--mv3', '--mode', 'e2e'], { stdio: 'inherit' });
  }
  // The tests exercise what ships: React's development build (JSX compiled to jsxDEV) renders
  // several times slower and would hide or invent timing problems (wxt.config.ts).
  for (const build of builds) {
    const scripts = readdirSync(build, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
    const dev = scripts.filter((file) => readFileSync(join(build, file), 'utf8').includes('jsxDEV'));
    if (dev.length) throw new Error(`${build} holds React's development build (${dev.join(', ')}): build it with NODE_ENV=production`);
  }
}
