// Bytes → server-sent events. Decoding is streaming (a multi-byte character can straddle two
// network chunks) and line splitting is eventsource-parser's, which handles CR, LF and CRLF,
// `data:` with or without a space, comments and multi-line data.

import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseSink {
  /** Return `true` to stop reading (the answer is complete). */
  onEvent(event: EventSourceMessage): boolean | void;
  /** Keep-alive comments: proof the connection lives, not that the answer progresses. */
  onComment?(): void;
}

export interface SseOutcome {
  /** `stopped`: the sink said it had everything; `eof`: the body simply ended. */
  ending: 'stopped' | 'eof';
  events: number;
  /** Text the parser could not make sense of before any event, e.g. an HTML page. */
  unparsed: string;
  bytes: number;
}

// A line this long without a newline is not SSE from an LLM API; stop before it eats memory.
const MAX_BUFFER_CHARS = 4 * 1024 * 1024;
const UNPARSED_KEEP_CHARS = 2_048;

export class SseOverflowError extends Error {
  override readonly name = 'SseOverflowError';
}

/**
 * Reads `body` to its end (or until the sink stops it). Aborting `signal` cancels the body, which
 * closes the connection; the promise then rejects with the signal's reason.
 */
export async function pumpSse(body: ReadableStream<Uint8Array>, sink: SseSink, signal: AbortSignal): Promise<SseOutcome> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  const outcome: SseOutcome = { ending: 'eof', events: 0, unparsed: '', bytes: 0 };
  let stop = false;
  let overflow = false;
  let sinkError: unknown;

  const parser = createParser({
    maxBufferSize: MAX_BUFFER_CHARS,
    onEvent(event) {
      if (stop) return;
      outcome.events += 1;
      try {
        if (sink.onEvent(event) === true) stop = true;
      } catch (error) {
        sinkError = error;
        stop = true;
      }
    },
    onComment() {
      sink.onComment?.();
    },
    onError(error) {
      if (error.type === 'max-buffer-size-exceeded') {
        overflow = true;
        stop = true;
      } else if (outcome.events === 0 && outcome.unparsed.length < UNPARSED_KEEP_CHARS) {
        outcome.unparsed += `${error.line ?? error.field ?? ''}\n`;
      }
    },
  });

  const cancel = (): void => {
    reader.cancel(signal.reason).catch(() => undefined);
  };
  signal.addEventListener('abort', cancel, { once: true });
  try {
    while (!stop) {
      if (signal.aborted) throw signal.reason;
      const { done, value } = await reader.read();
      // A cancelled reader reports `done`; that is our abort, not the server ending the stream.
      if (signal.aborted) throw signal.reason;
      if (done) {
        const tail = decoder.decode();
        if (tail !== '') parser.feed(tail);
        break;
      }
      outcome.bytes += value.byteLength;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } finally {
    signal.removeEventListener('abort', cancel);
    if (stop) reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  if (sinkError !== undefined) throw sinkError;
  if (overflow) throw new SseOverflowError('SSE line exceeded the buffer limit');
  if (stop) outcome.ending = 'stopped';
  return outcome;
}
