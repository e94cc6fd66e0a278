// Views talk to the background only through this: typed requests, typed replies, errors as throws.
import { browser } from 'wxt/browser';
import type { BackgroundRequest, Reply } from '../lib/messages';

export async function sendRequest<T>(req: BackgroundRequest): Promise<T> {
  const reply = (await browser.runtime.sendMessage(req)) as Reply<T> | undefined;
  if (!reply) throw new Error('The background did not answer.');
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}
