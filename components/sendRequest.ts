// Views talk to the background only through this: requests typed by the protocol, replies typed by
// the request's type, failures thrown as `RequestError` with the error's kind.
import { browser } from 'wxt/browser';
import type { ErrorView } from '../lib/errors';
import type { Reply, ReplyOf, RequestOf, RequestType } from '../lib/app/protocol';

export class RequestError extends Error implements ErrorView {
  constructor(readonly kind: ErrorView['kind'], message: string) {
    super(message);
  }
}

/** What to show for a request that failed: its kind when the background said, else a plain message. */
export const viewOf = (err: unknown): ErrorView =>
  err instanceof RequestError ? { kind: err.kind, message: err.message } : { kind: 'internal', message: (err as Error).message };

// Typed by the request's `type` rather than by the whole object, so a misspelt field is an error.
export async function sendRequest<T extends RequestType>(request: RequestOf<T>): Promise<ReplyOf<T>> {
  const reply = (await browser.runtime.sendMessage(request)) as Reply<ReplyOf<T>> | undefined;
  if (!reply) throw new RequestError('internal', 'The background did not answer.');
  if (!reply.ok) throw new RequestError(reply.error.kind, reply.error.message);
  return reply.value;
}
