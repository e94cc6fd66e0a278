import { describe, expect, it } from 'vitest';
import config from '../../wxt.config';

type Manifest = Record<string, unknown> & { permissions?: string[]; host_permissions?: string[]; optional_host_permissions?: string[] };
const manifestFor = (browser: string, mode = 'production') =>
  (config.manifest as (env: { browser: string; mode: string }) => Manifest)({ browser, mode });

describe('the shipped manifest', () => {
  for (const browser of ['chrome', 'firefox']) {
    it(`asks ${browser} for no host access at install, only the API origin at save time`, () => {
      const manifest = manifestFor(browser);
      expect(manifest.host_permissions).toEqual([]);
      expect(JSON.stringify(manifest.permissions)).not.toMatch(/<all_urls>|\*:\/\//);
      expect(manifest.permissions).toEqual(expect.arrayContaining(['activeTab', 'scripting']));
      expect(manifest.optional_host_permissions).toEqual(['https://*/*', 'http://*/*']);
      expect(manifest).not.toHaveProperty('externally_connectable');
      expect(manifest).not.toHaveProperty('content_security_policy');
    });
  }

  it('adds host access only to the test and demo builds', () => {
    // The e2e build: 127.0.0.1, local files (the file:// PDFs activeTab would grant), and the real
    // host names the tests serve themselves (fake-youtube, fake-sites).
    expect(manifestFor('chrome', 'e2e').host_permissions).toEqual([
      'http://127.0.0.1/*',
      'file:///*',
      'https://www.youtube.com/*',
      ...['news.ycombinator.com', 'old.reddit.com', 'www.reddit.com', 'github.com', 'en.wikipedia.org', 'x.com', 'stackoverflow.com'].map((host) => `https://${host}/*`),
    ]);
    expect(manifestFor('chrome', 'demo').host_permissions).toEqual(['<all_urls>']);
  });
});
