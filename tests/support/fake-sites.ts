// The busiest sites for the e2e tests, under their real host names: HTTPS on 127.0.0.1 with the
// tests' self-signed certificate (tests/support/tls), Chromium mapping each name here with
// --host-resolver-rules, as for www.youtube.com (fake-youtube.ts). Each page is a recorded or
// site-shaped fixture in tests/e2e/pages/sites/ (see its README), served at a path of its site.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

/** URL → fixture file. */
export const sitePages: Record<string, string> = {
  'https://news.ycombinator.com/item?id=12345678': 'hn-item.html',
  'https://old.reddit.com/r/test/comments/abc123/test_post/': 'old-reddit-thread.html',
  'https://www.reddit.com/r/travel/comments/xyz789/which_night_train/': 'new-reddit-thread.html',
  'https://github.com/kepano/defuddle/issues/56': 'github-issue.html',
  'https://en.wikipedia.org/wiki/Obsidian_(software)': 'wikipedia-article.html',
  'https://x.com/main_user/status/1234567890': 'x-conversation.html',
  'https://stackoverflow.com/questions/927358/how-do-i-undo-the-most-recent-local-commits-in-git': 'stackoverflow-question.html',
};

export const siteHosts = [...new Set(Object.keys(sitePages).map((url) => new URL(url).hostname))];

export interface FakeSites {
  port: number;
  close(): Promise<void>;
}

export async function startFakeSites(): Promise<FakeSites> {
  const tls = resolve('tests/support/tls');
  const pages = resolve('tests/e2e/pages/sites');
  const server = createServer({ key: readFileSync(resolve(tls, 'test-host.key')), cert: readFileSync(resolve(tls, 'test-host.crt')) }, (req, res) => {
    const url = new URL(req.url ?? '/', `https://${req.headers.host ?? 'unknown'}`);
    url.port = '';
    const file = sitePages[url.href];
    if (!file) {
      // Images, styles and favicons of the recorded pages: nothing.
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(readFileSync(resolve(pages, file)));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
