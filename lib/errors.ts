// One error type for the whole application. Every failure a user can meet has a `kind` (what code
// and the UI switch on) and a readable English `message` that adds the evidence and what to do.
// Everything else follows from the kind, in one place each, so it cannot disagree with it: the
// heading views translate (`kind_<kind>` in components/i18n), the actions they offer (`actionsFor`),
// and whether the LLM client tries again (lib/llm/retry-policy.ts, which also weighs the attempt,
// the text already shown and the server's hints). Errors are immutable: `with()` makes a changed
// copy. `describeError` is the one mapper from anything thrown to what a view shows.
import { looksLikeOriginRejection } from './providers/local-origin';

/** What the model's API can fail with (lib/llm). */
export type LlmErrorKind =
  | 'auth' // 401/403: wrong or revoked key
  | 'not_found' // 404: wrong base URL or model name
  | 'bad_request' // 400/422
  | 'context_length' // prompt too long for the model
  | 'rate_limited' // 429 after all retries
  | 'quota' // 429 insufficient_quota: never retried
  | 'server' // 5xx after all retries
  | 'network' // fetch failed: DNS, refused, offline
  | 'timeout' // first byte, idle or overall deadline
  | 'aborted' // the caller cancelled
  | 'bad_response' // a body that is not an OpenAI-compatible answer
  | 'stream_cut' // the stream ended without [DONE]/finish_reason (Anthropic: message_stop/stop_reason)
  | 'circuit_open'; // the breaker stayed open past the request's deadline

/** What the application itself can fail with. */
export type AppErrorKind =
  | 'not_configured' // no provider saved yet
  | 'locked' // the key is sealed under a passphrase not entered this session
  | 'wrong_passphrase'
  | 'corrupt' // the sealed key cannot be opened
  | 'restricted_page' // the browser keeps extensions out of this tab
  | 'empty_page' // nothing readable to summarise
  | 'no_transcript' // a video without captions: nothing it says can be read
  | 'unknown_prompt' // a custom prompt that was deleted
  | 'gone' // a job or conversation that no longer exists
  | 'origin_rejected' // a local server refusing the extension's Origin
  | 'on_device' // the browser's built-in model failed
  | 'forbidden' // a sender asked for what it has no right to
  | 'permission' // the user did not grant the host access a provider needs
  | 'invalid_message' // a message that does not match its schema
  | 'pdf_scanned' // a PDF with no text layer (scanned pages: OCR is out of scope)
  | 'pdf_password' // a password-protected PDF
  | 'pdf_too_large' // a PDF over the size we read
  | 'not_pdf' // a PDF address that answers something else (an HTML page)
  | 'pdf_corrupt' // a truncated or damaged PDF
  | 'file_access' // a file:// PDF while "Allow access to file URLs" is off
  | 'internal'; // a bug

export type ErrorKind = LlmErrorKind | AppErrorKind;

/** What the UI offers next to the message. */
export type ErrorAction = 'open_options' | 'retry' | 'summarise_description';

/** An error as it crosses to a view (and is stored with a job): plain data. A view asks `actionsFor(kind)`. */
export interface ErrorView {
  kind: ErrorKind;
  message: string;
}

/** Kinds that a change in the options can fix. */
const fixedInOptions: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'auth',
  'not_found',
  'not_configured',
  'bad_response',
  'quota',
  'network',
  'locked',
  'corrupt',
  'origin_rejected',
]);

/** Kinds where asking again, later, can succeed even though this attempt's retries are spent. */
const worthAnotherTry: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'rate_limited',
  'server',
  'network',
  'timeout',
  'stream_cut',
  'circuit_open',
  'on_device',
  'aborted',
]);

export function actionsFor(kind: ErrorKind): ErrorAction[] {
  const actions: ErrorAction[] = [];
  if (fixedInOptions.has(kind)) actions.push('open_options');
  if (worthAnotherTry.has(kind)) actions.push('retry');
  if (kind === 'no_transcript') actions.push('summarise_description');
  return actions;
}

export interface AppErrorFields {
  cause?: unknown;
}

export class AppError<K extends ErrorKind = ErrorKind> extends Error {
  override readonly name: string = 'AppError';
  readonly kind: K;

  constructor(kind: K, message: string, fields: AppErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.kind = kind;
  }

  /** A copy with some fields changed: errors are never changed once thrown. */
  with(patch: ErrorPatch<this>): this {
    // Built by the class's own constructor, so the copy is a native Error of the same class
    // (isNativeError, structuredClone); every subclass takes its fields under their own names.
    const SameClass = this.constructor as new (kind: K, message: string, fields: AppErrorFields) => this;
    const copy = new SameClass(this.kind, this.message, { ...this, ...patch, cause: this.cause });
    // The stack says where the failure happened, not where it was copied.
    Object.defineProperty(copy, 'stack', { value: this.stack, writable: true, configurable: true });
    return copy;
  }
}

/** What `with()` may change: an error's data fields, not its kind, message or methods. */
export type ErrorPatch<E extends AppError> = Partial<
  Omit<{ [P in keyof E as E[P] extends (...args: never[]) => unknown ? never : P]: E[P] }, 'kind' | 'name' | 'message' | 'stack' | 'cause'>
>;

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** The application's own failures, in one voice. */
export const appErrors = {
  notConfigured: () =>
    new AppError('not_configured', 'Open Precis options to choose a provider, a model and an API key.'),
  restrictedPage: () =>
    new AppError(
      'restricted_page',
      'Precis cannot read this page: browsers keep extensions out of their built-in pages and the extension store. Open a web page or a PDF and try again.',
    ),
  pageForChatUnavailable: () =>
    new AppError(
      'restricted_page',
      'Precis cannot read the current tab (built-in pages, the extension store and PDFs are off limits). Ask without the page, or switch to a normal web page.',
    ),
  emptyPage: () =>
    new AppError('empty_page', 'This page has no readable text to summarise. Select some text and try "Summarise selection".'),
  noTranscript: () =>
    new AppError(
      'no_transcript',
      'This video has no transcript: no captions, not even automatic ones. Precis will not guess what it says from the page around it. You can summarise its description instead, which says what the uploader wrote, not what the video shows.',
    ),
  videoUnavailable: () =>
    new AppError('empty_page', "Precis could not read this video's details from YouTube. Reload the page and try again."),
  unknownPrompt: () =>
    new AppError('unknown_prompt', 'That custom prompt no longer exists. Choose another one, or add it again in the options.'),
  conversationGone: () => new AppError('gone', 'That conversation was deleted.'),
  summaryGone: () => new AppError('gone', 'That summary no longer exists.'),
  forbidden: () => new AppError('forbidden', 'Not allowed from a web page'),
  /** A setting the administrator fixed (managed policy); `reason` is theirs. */
  managed: (reason: string) => new AppError('forbidden', `This setting is managed by your organisation. ${reason}`.trim()),
  /** The schema's own words ("a passphrase needs at least 8 characters"), as a sentence. */
  invalidMessage: (problem: string) => new AppError('invalid_message', `${problem.charAt(0).toUpperCase()}${problem.slice(1)}.`),
  onDevice: (message: string) => new AppError('on_device', message),
  pageClosed: () => new AppError('stream_cut', 'The page was closed before the summary was finished.'),
  pdfScanned: () =>
    new AppError('pdf_scanned', 'This PDF has no text layer: its pages are images (a scan). Precis reads text, not images; run it through OCR first.'),
  pdfPassword: () => new AppError('pdf_password', 'This PDF is protected by a password. Open an unprotected copy to summarise it.'),
  pdfTooLarge: (maxMb: number) => new AppError('pdf_too_large', `This PDF is larger than ${maxMb} MB, more than Precis reads. Summarise a smaller part of it.`),
  notPdf: (what: string) => new AppError('not_pdf', `This address answers ${what}, not a PDF. Open the PDF itself and try again.`),
  pdfCorrupt: (detail: string) => new AppError('pdf_corrupt', `This PDF is damaged or incomplete (${detail}). Download it again and try once more.`),
  /** `canAllow`: the browser has a switch that lets the extension read files (Chrome); Firefox has none. */
  fileAccess: (canAllow = true) =>
    new AppError(
      'file_access',
      canAllow
        ? 'Precis may not read files on this computer. Turn on "Allow access to file URLs" for Precis on the extensions page (chrome://extensions), or choose the file with "Summarise a PDF file…".'
        : 'Firefox does not let extensions read files on this computer. Choose the file with "Summarise a PDF file…" instead.',
    ),
  originRejected: () =>
    new AppError(
      'origin_rejected',
      'The server refused requests from the extension (403). Ollama does this unless OLLAMA_ORIGINS allows extensions; ' +
        'Precis rewrites the Origin for local servers it can reach. Save the provider again, or start Ollama with OLLAMA_ORIGINS=chrome-extension://*,moz-extension://*.',
    ),
};

function field<T extends string>(err: object, name: string, type: T): (T extends 'number' ? number : string) | undefined {
  const value = (err as Record<string, unknown>)[name];
  return typeof value === type ? (value as T extends 'number' ? number : string) : undefined;
}

/** Whatever was thrown → what a view shows. Errors of ours keep their kind; anything else is a bug. */
export function describeError(err: unknown): ErrorView {
  if (isAppError(err)) {
    // A 403 with no provider-style body is a local server (Ollama) refusing our Origin, not our key.
    if (err.kind === 'auth' && looksLikeOriginRejection(field(err, 'status', 'number'), field(err, 'detail', 'string'))) {
      return describeError(appErrors.originRejected());
    }
    return { kind: err.kind, message: err.message };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'internal', message: `Something went wrong inside Precis: ${message}` };
}
