// Serves fixture pages from 127.0.0.1 on a free port: content scripts do not run on file:// pages.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.css': 'text/css',
  '.pdf': 'application/pdf',
};

/** `pages` adds generated pages by path (e.g. '/long.html'), served before files under `root`. */
/** A generated page: its body, or its body and content type. */
type Generated = string | Uint8Array | { body: string | Uint8Array; type: string };

export async function startStaticServer(root: string, pages: Record<string, Generated> = {}) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const generated = pages[path];
    if (generated !== undefined) {
      const { body, type } = typeof generated === 'object' && 'type' in generated ? generated : { body: generated, type: types[extname(path)] ?? 'text/html; charset=utf-8' };
      res.writeHead(200, { 'content-type': type });
      res.end(body);
      return;
    }
    try {
      const body = await readFile(join(root, path));
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
