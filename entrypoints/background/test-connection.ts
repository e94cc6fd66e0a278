// "Test connection" in options: one real, tiny request and a precise verdict.
import type { LlmClient } from '../../lib/llm';
import { describeError } from '../../lib/jobs/describe-error';
import type { Verdict } from '../../lib/messages';

export async function testConnection(client: LlmClient, now = () => performance.now()): Promise<Verdict> {
  const started = now();
  try {
    const result = await client.complete({ messages: [{ role: 'user', content: 'Reply with the word OK.' }], max_tokens: 5 });
    return { ok: true, detail: `Answered in ${Math.round(now() - started)} ms: “${result.text.trim().slice(0, 40)}”` };
  } catch (err) {
    return { ok: false, ...describeError(err) };
  }
}
