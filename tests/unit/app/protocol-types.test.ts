// Compile-time checks of the protocol: `npm run typecheck` fails if a reply type stops being
// enforced (each @ts-expect-error below must stay an error).
import { describe, expectTypeOf, it } from 'vitest';
import type { Handlers } from '../../../lib/app/doors';
import type { ChatStarted, PublicSettings, ReplyOf, RequestOf } from '../../../lib/app/protocol';
import type { Conversation } from '../../../lib/chat/conversation';
import type { sendRequest } from '../../../components/sendRequest';

type Handler<T extends keyof Handlers> = Handlers[T];

describe('protocol types', () => {
  it('ties every request type to its reply type', () => {
    expectTypeOf<ReplyOf<'chat.get'>>().toEqualTypeOf<Conversation | undefined>();
    expectTypeOf<ReplyOf<'settings.get'>>().toEqualTypeOf<PublicSettings>();
    expectTypeOf<ReturnType<typeof sendRequest<'chat.send'>>>().toEqualTypeOf<Promise<ChatStarted>>();
  });

  it('refuses a handler that answers with the wrong type', () => {
    // @ts-expect-error chat.get answers a conversation, not a list of them
    const wrong: Handler<'chat.get'> = async () => [] as Conversation[];
    // @ts-expect-error settings.get answers PublicSettings, not the stored settings object (the
    // compiler checks the shape; that no extra field such as the sealed key leaks is a runtime test)
    const leaky: Handler<'settings.get'> = async () => ({ apiKey: { v: 1, iv: '', data: '' } });
    const right: Handler<'chat.get'> = async () => undefined;
    void [wrong, leaky, right];
  });

  it('refuses a request with a missing or misspelt field', () => {
    // @ts-expect-error chat.send needs its text
    const missing: RequestOf<'chat.send'> = { type: 'chat.send', attachPage: true };
    // @ts-expect-error job.stop names a jobId, not an id
    const misspelt: RequestOf<'job.stop'> = { type: 'job.stop', id: 'x' };
    void [missing, misspelt];
  });

  it('refuses a misspelt field in what a view sends', () => {
    const send = (() => Promise.resolve()) as unknown as typeof sendRequest;
    // @ts-expect-error afterSummaryJobID is not a field of chat.send (afterSummaryJobId is)
    void send({ type: 'chat.send', text: 'Why?', attachPage: true, afterSummaryJobID: 'j1' });
    void send({ type: 'chat.send', text: 'Why?', attachPage: true, afterSummaryJobId: 'j1' });
  });
});
