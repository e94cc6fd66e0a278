// www.youtube.com for the e2e tests: HTTPS on 127.0.0.1 with a self-signed certificate (Chromium
// maps the host name here with --host-resolver-rules and accepts the certificate with
// --ignore-certificate-errors), serving watch pages, caption tracks and the transcript panel's
// API in YouTube's formats (tests/support/youtube-pages.ts). Videos are added per test.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { captionBody, transcriptPanelBody, watchPage, type CaptionFormat, type FakeVideo } from './youtube-pages';

export const youtubeHosts = ['www.youtube.com', 'youtube.com', 'm.youtube.com'];

export interface FakeYouTube {
  port: number;
  /** Serves `video` from now on (replacing one with the same id); `format`: what its caption URL answers. */
  add(video: FakeVideo, format?: CaptionFormat): string;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeYouTube(): Promise<FakeYouTube> {
  const videos = new Map<string, { video: FakeVideo; format: CaptionFormat }>();
  const requests: string[] = [];
  const tls = resolve('tests/support/tls');
  const server = createServer({ key: readFileSync(resolve(tls, 'test-host.key')), cert: readFileSync(resolve(tls, 'test-host.crt')) }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://www.youtube.com');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    const entry = videos.get(url.searchParams.get('v') ?? '');
    if (url.pathname === '/watch' && entry) return send(200, 'text/html; charset=utf-8', watchPage(entry.video));
    if (url.pathname === '/api/timedtext' && entry) return send(200, 'text/plain; charset=utf-8', captionBody(entry.video.lines ?? [], entry.format));
    if (url.pathname === '/youtubei/v1/get_transcript' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk));
      req.on('end', () => {
        const params = (JSON.parse(body || '{}') as { params?: string }).params ?? '';
        const match = videos.get(params.replace(/^CgtQ/, ''));
        send(match?.video.panel ? 200 : 400, 'application/json', match?.video.panel ? transcriptPanelBody(match.video.lines ?? []) : '{"error":{"code":400}}');
      });
      return;
    }
    send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    requests,
    add(video, format = 'json3') {
      videos.set(video.id, { video, format });
      return `https://www.youtube.com/watch?v=${video.id}`;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
