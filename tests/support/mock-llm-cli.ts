// For poking at the extension by hand against a predictable server:
//   npx tsx tests/support/mock-llm-cli.ts [--port 8787] [--set '{"tokenDelayMs":50}']
import { startMockLlm, type MockBehaviour } from './mock-llm';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const port = arg('--port');
const behaviour = JSON.parse(arg('--set') ?? '{}') as Partial<MockBehaviour>;
const mock = await startMockLlm(behaviour, { port: port === undefined ? undefined : Number(port) });
console.log(mock.baseUrl);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void mock.close().then(() => process.exit(0)));
}
