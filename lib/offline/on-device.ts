// Chrome's built-in model (the Summarizer API, Chrome 138+), when this browser has it ready. It is
// exposed to documents, not to the extension's worker, so the content script runs it and streams
// the text to the background job. The API is passed in: tests give a fake, the page gives its own.

export interface OnDeviceSummarizer {
  summarizeStreaming(input: string, options?: { context?: string }): AsyncIterable<string> | ReadableStream<string>;
  destroy?(): void;
  inputQuota?: number;
}

export interface SummarizerApi {
  availability(options?: Record<string, unknown>): Promise<string>;
  create(options: Record<string, unknown>): Promise<OnDeviceSummarizer>;
}

const options = { type: 'key-points', format: 'markdown', length: 'long' } as const;

/** Only a model already on the device counts: a summary click must not start a multi-GB download. */
export async function onDeviceReady(api: SummarizerApi | undefined): Promise<boolean> {
  if (!api) return false;
  try {
    return (await api.availability(options)) === 'available';
  } catch {
    return false;
  }
}

async function* chunksOf(stream: AsyncIterable<string> | ReadableStream<string>): AsyncIterable<string> {
  if (Symbol.asyncIterator in stream) {
    yield* stream as AsyncIterable<string>;
    return;
  }
  const reader = (stream as ReadableStream<string>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

/**
 * Streams the summary as deltas. Chrome before 137 sent the whole text so far in every chunk;
 * later versions send only the new part: both come out here as deltas.
 */
export async function* summariseOnDevice(api: SummarizerApi, text: string, title: string): AsyncIterable<string> {
  const summarizer = await api.create(options);
  try {
    // The model's window is small; the start of a page carries most of what a summary needs.
    const quota = summarizer.inputQuota && summarizer.inputQuota > 0 ? summarizer.inputQuota : 4_000;
    const input = text.slice(0, quota * 3);
    let sent = '';
    for await (const chunk of chunksOf(summarizer.summarizeStreaming(input, { context: `A web page titled "${title}".` }))) {
      const delta = chunk.startsWith(sent) && sent ? chunk.slice(sent.length) : chunk;
      sent = chunk.startsWith(sent) && sent ? chunk : sent + chunk;
      if (delta) yield delta;
    }
  } finally {
    summarizer.destroy?.();
  }
}
