// Builds the e2e flavour of the extension, for Chromium and for Firefox, once per run (the same code, plus a host permission for
// 127.0.0.1 that stands in for the activeTab grant automation cannot give).
import { execFileSync } from 'node:child_process';

export default function globalSetup() {
  if (process.env.PRECIS_SKIP_BUILD) return;
  execFileSync('npx', ['wxt', 'build', '--mode', 'e2e'], { stdio: 'inherit' });
  execFileSync('npx', ['wxt', 'build', '-b', 'firefox', '--mv3', '--mode', 'e2e'], { stdio: 'inherit' });
}
