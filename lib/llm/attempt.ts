// One HTTP exchange with the server: send, watch the clock, read the body, and turn every way it
// can go wrong into an LlmError. No retries here; the client decides what to do with the failure.

import { Watchdog, type Now, type Sleep } from './clock';
import type { Dialect } from './dialects/types';
import { afterText, errorFromResponse, errors, isLlmError, LlmError, parseJson, readServerError, snippet } from './errors';
import { pumpSse, SseOverflowError } from './sse';
import type { ChatResult } from './types';

export interface ExchangeInput {
  fetch: typeof fetch;
  /** Reads the server's error bodies. */
  dialect: Pick<Dialect, 'errorFromBody'>;
  now: Now;
  sleep: Sleep;
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** The caller's cancel (already combined with every other caller's, for shared requests). */
  signal: AbortSignal;
  /** Epoch ms when the whole request, retries included, must be over. */
  deadline: number;
  deadlineMs: number;
  /** Bound on the wait for the first data (streaming) or the whole response (otherwise). */
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
  /** Values to scrub from anything the server says back (the API key). */
  secrets: readonly string[];
  onConnecting?(): void;
  /** The headers of any response, before its body is read (a 429's describe the rate limit too). */
  onHeaders?(headers: Headers, status: number): void;
}

/** What a body reader gets: the response, and a way to report progress to the watchdog. */
export interface BodyContext {
  response: Response;
  signal: AbortSignal;
  secrets: readonly string[];
  /** Real data arrived: switches the watchdog from first-byte to idle and re-arms it. */
  progressed(): void;
}

export type BodyReader<T> = (ctx: BodyContext) => Promise<T>;

const ERROR_BODY_MAX_CHARS = 64 * 1024;

export async function exchange<T>(input: ExchangeInput, read: BodyReader<T>): Promise<T> {
  const { now } = input;
  const controller = new AbortController();
  const abortWith = (error: LlmError): void => {
    if (!controller.signal.aborted) controller.abort(error);
  };
  const onCallerAbort = (): void => abortWith(errors.aborted());
  if (input.signal.aborted) throw errors.aborted();
  input.signal.addEventListener('abort', onCallerAbort, { once: true });

  let phase: 'first_byte' | 'idle' = 'first_byte';
  let bodyStarted = false;
  const watchdog = new Watchdog(now, input.sleep, () => {
    if (now() >= input.deadline) abortWith(errors.timeout('deadline', input.deadlineMs));
    else if (phase === 'idle') abortWith(errors.timeout('idle', input.idleTimeoutMs));
    else abortWith(errors.timeout('first_byte', input.firstByteTimeoutMs));
  });
  const arm = (ms: number): void => watchdog.armAt(Math.min(now() + ms, input.deadline));
  arm(input.firstByteTimeoutMs);

  try {
    input.onConnecting?.();
    const init: RequestInit = { method: input.method, headers: input.headers, signal: controller.signal };
    if (input.body !== undefined) init.body = input.body;
    const response = await input.fetch(input.url, init);
    input.onHeaders?.(response.headers, response.status);
    if (!response.ok) {
      const text = await response.text();
      throw errorFromResponse(input.dialect, response.status, response.headers, text.slice(0, ERROR_BODY_MAX_CHARS), now(), input.secrets);
    }
    bodyStarted = true;
    return await read({
      response,
      signal: controller.signal,
      secrets: input.secrets,
      progressed() {
        phase = 'idle';
        arm(input.idleTimeoutMs);
      },
    });
  } catch (error) {
    // An LlmError is our abort's reason (or the reader's copy of it, with the text shown before it)
    // or the reader's own verdict; anything else after our abort is the fetch machinery's
    // rendering of that abort, and the reason wins.
    if (isLlmError(error)) throw error;
    if (controller.signal.aborted && isLlmError(controller.signal.reason)) throw controller.signal.reason;
    if (error instanceof SseOverflowError) throw errors.badResponse('an endless line instead of server-sent events');
    // The connection dropped: before the answer began it is a network failure, after, a cut stream.
    if (bodyStarted) throw errors.streamCut();
    throw errors.network(error);
  } finally {
    watchdog.stop();
    input.signal.removeEventListener('abort', onCallerAbort);
    // Closes the connection if we stopped early (e.g. after [DONE]) or failed mid-body.
    controller.abort(errors.aborted());
  }
}

function isHtml(response: Response): boolean {
  return /\btext\/html\b|application\/xhtml/i.test(response.headers.get('content-type') ?? '');
}

/** A whole JSON body, with HTML pages and JSON `error` objects turned into errors. */
export async function readJsonBody(ctx: BodyContext, dialect: Pick<Dialect, 'errorFromPayload'>): Promise<unknown> {
  const text = await ctx.response.text();
  ctx.progressed();
  const json = isHtml(ctx.response) ? undefined : parseJson(text);
  if (json === undefined) throw errors.badResponse(snippet(text, ctx.secrets) || undefined, ctx.response.status);
  if (typeof json === 'object' && json !== null && 'error' in json && readServerError(json) !== undefined) {
    throw dialect.errorFromPayload(json, ctx.secrets);
  }
  return json;
}

/** Reads a whole (non-streamed) answer in the dialect's format. */
export function readWholeAnswer(dialect: Dialect): BodyReader<ChatResult> {
  return async (ctx) => {
    const result = dialect.readAnswer(await readJsonBody(ctx, dialect));
    if (result === undefined) throw errors.badResponse(`the JSON is not ${dialect.answerName}`, ctx.response.status);
    return result;
  };
}

/** Streams a chat answer, calling `onDelta` per piece and `onStreaming` at the first data. */
export function readChatStream(handlers: { onDelta(text: string): void; onStreaming?(): void }, dialect: Dialect): BodyReader<ChatResult> {
  const readWhole = readWholeAnswer(dialect);
  return async (ctx) => {
    const contentType = ctx.response.headers.get('content-type') ?? '';
    if (isHtml(ctx.response)) {
      const text = await ctx.response.text();
      throw errors.badResponse(snippet(text, ctx.secrets) || undefined, ctx.response.status);
    }
    // Some servers ignore `stream: true` and answer in one piece; that is still an answer.
    if (/application\/json/i.test(contentType)) {
      const result = await readWhole(ctx);
      handlers.onStreaming?.();
      if (result.text !== '') handlers.onDelta(result.text);
      return result;
    }
    const body = ctx.response.body;
    if (body === null) throw errors.badResponse('an empty body', ctx.response.status);

    const assembler = dialect.streamAssembler(ctx.secrets);
    let streaming = false;
    let outcome;
    try {
      outcome = await pumpSse(
        body,
        {
          onEvent(event) {
            const piece = assembler.accept(event.data, event.event);
            // A keep-alive event proves the connection, not the answer: it must not hold off the idle timeout.
            if (assembler.idle === true) return assembler.done;
            ctx.progressed();
            if (!streaming) {
              streaming = true;
              handlers.onStreaming?.();
            }
            if (piece !== '') handlers.onDelta(piece);
            return assembler.done;
          },
        },
        ctx.signal,
      );
    } catch (error) {
      // The answer was whole (finish_reason seen) and only the trailing usage/[DONE] went missing.
      const cancelledByCaller = ctx.signal.aborted && isLlmError(ctx.signal.reason) && ctx.signal.reason.kind === 'aborted';
      const lateFailure = !isLlmError(error) || ctx.signal.aborted;
      if (assembler.finishReason !== undefined && lateFailure && !cancelledByCaller) return assembler.result();
      if (isLlmError(error)) throw error.partialText === undefined && assembler.text !== '' ? afterText(error, assembler.text) : error;
      if (!ctx.signal.aborted && !(error instanceof SseOverflowError)) throw errors.streamCut(assembler.text);
      throw error;
    }
    if (outcome.events === 0 && outcome.unparsed.trim() !== '') {
      throw errors.badResponse(snippet(outcome.unparsed, ctx.secrets), ctx.response.status);
    }
    if (!assembler.complete) throw errors.streamCut(assembler.text);
    return assembler.result();
  };
}
