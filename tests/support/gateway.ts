// Portkey's open-source AI gateway (`@portkey-ai/gateway`, pinned in package.json), run as a real
// server on 127.0.0.1 in front of the mock model server, as a team would put it in front of theirs.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

export interface Gateway {
  /** What Precis is configured with: the gateway's OpenAI-compatible base URL. */
  baseUrl: string;
  close(): void;
}

export async function startGateway(): Promise<Gateway> {
  const port = await freePort();
  const child = spawn(process.execPath, [resolve('node_modules/@portkey-ai/gateway/build/start-server.js'), `--port=${port}`, '--headless'], {
    stdio: process.env.GATEWAY_LOG ? 'inherit' : 'ignore',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const up = await fetch(url).then((r) => r.ok, () => false);
    if (up) return { baseUrl: `${url}/v1`, close: () => void child.kill() };
    await new Promise((done) => setTimeout(done, 100));
  }
  child.kill();
  throw new Error('the gateway did not start');
}
