// Page content → summary. A page that fits the model is one streamed request; a longer one is cut
// into chunks on its structure and summarised by map-reduce (./map-reduce.ts). Everything the plan
// depends on (model limits, tokenizer, client) comes in as arguments.
import { chunkText, minChunkBudget, type Chunk, type CountTokens } from '../extract/chunk';
import { modelLimits, summaryBudget, type ContextOverrides, type ModelLimits } from '../extract/context-window';
import { estimateCounter, type TokenCounter } from '../extract/tokens';
import type { ChatRequest } from '../llm/types';
import { AppError, appErrors } from '../errors';
import type { PageContent } from '../extract/page-content';
import { withPageMarker } from '../pdf/document';
import { numberUnits, splitUnits } from '../extract/units';
import { runMapReduce, type MapReduceIo } from './map-reduce';
import { outputLanguage, promptSet, promptTokens, type PromptSet } from './summary-prompt';

export type { ChatFn, Progress } from './map-reduce';
export { defaultSummaryTemplate } from './summary-prompt';

/** The model's window cannot hold the prompt and a useful piece of page. */
const contextTooSmall = (model: string, context: number) =>
  new AppError(
    'context_length',
    `The context window assumed for ${model} (${context} tokens) is too small for the summary prompt. ` +
      'Set the right size for this model in the options, or shorten the summary template.',
  );

/** Room kept for each answer, in the model's tokens. */
export const reservedOutput = { summary: 2_048, notes: 1_024, merge: 1_536 } as const;

/** At most what "[p. 1234, continued]" and its line break take, in any tokenizer. */
const pageMarkerTokens = 16;

/** Below this many page tokens per request, map-reduce would be all prompt and no page. */
const minUsefulBudget = 256;

export interface PlanOptions {
  /** The model the client will use: picks the context window and tokenizer. */
  model: string;
  /** Output language; default: the page's language. */
  language?: string;
  /** The user's summary template ({{page}}, {{title}}, {{url}}, {{language}}). */
  template?: string;
  contextOverrides?: ContextOverrides;
  /**
   * Loads the token counter on first use. Required, not defaulted: a default would import the
   * tokenizer's rank tables into every bundle that imports this file, the worker's included
   * (Node passes `loadTokenCounter`; the worker fetches the packaged table, see tokenizer-ranks.ts).
   */
  loadCounter: () => Promise<TokenCounter>;
  /** A counter already loaded (tests): skips `loadCounter`. */
  counter?: TokenCounter;
  /** Caps every request's page tokens below what the window allows: smaller, faster, parallel chunks. */
  maxChunkTokens?: number;
  /** Tokens repeated from the previous chunk at the start of each chunk (default 100). */
  overlapTokens?: number;
}

export interface Budgets {
  /** Page tokens that fit in the single summary request. */
  summary: number;
  /** Chunk tokens that fit in one notes request. */
  notes: number;
  /** Notes tokens that fit in one merge request, and in the final summary request. */
  merge: number;
  final: number;
}

export type SummaryPlan =
  | { kind: 'single'; request: ChatRequest; pageTokens: number; budgets: Budgets; limits: ModelLimits }
  | {
      kind: 'map-reduce';
      chunks: Chunk[];
      pageTokens: number;
      budgets: Budgets;
      limits: ModelLimits;
      prompts: PromptSet;
      count: CountTokens;
    };

/** A page with its text as the model will see it: checked once, before any job starts. */
export interface ReadablePage extends PageContent {
  readable: string;
  /** How many units `readable` numbers for citations (lib/extract/units.ts); unset: none. */
  units?: number;
}

export interface ReadableOptions {
  /** Number the page's units so the model can cite them. */
  cite?: boolean;
}

/** Throws `empty_page` when there is nothing to read. */
export function readablePage(page: PageContent, opts: ReadableOptions = {}): ReadablePage {
  const text = page.text.trim();
  if (!/[\p{L}\p{N}]/u.test(text)) throw appErrors.emptyPage();
  const units = opts.cite ? splitUnits(text) : [];
  const body = units.length ? numberUnits(text, units) : text;
  return {
    ...page,
    readable: page.truncated ? `${body}\n\n[The page continues; only its beginning was extracted.]` : body,
    ...(units.length ? { units: units.length } : {}),
  };
}

/** `page` already made readable (the background checks before it starts a job) is not read again. */
export async function planSummary(page: PageContent | ReadablePage, opts: PlanOptions): Promise<SummaryPlan> {
  const text = ('readable' in page ? page : readablePage(page)).readable;
  const limits = modelLimits(opts.model, opts.contextOverrides);
  // A loader that fails leaves us the estimate: a plan with margins beats no summary.
  const counter = opts.counter ?? (await opts.loadCounter().catch(() => estimateCounter));
  const count = counter.count;
  // Our count of a model we cannot tokenize exactly is an estimate: keep a wider margin.
  const effective = counter.exact ? limits : { ...limits, tokenRatio: limits.tokenRatio * 1.1 };
  const prompts = promptSet(
    { title: page.title || page.url, url: page.url, language: outputLanguage(opts.language, page.lang) },
    opts.template,
    page.source === 'video' || page.source === 'video-description' || page.source === 'pdf' ? page.source : undefined,
    { cite: 'units' in page && !!page.units },
  );
  const cap = opts.maxChunkTokens && opts.maxChunkTokens > 0 ? opts.maxChunkTokens : Infinity;
  const budget = (kind: Parameters<typeof promptTokens>[1], reserve: number) =>
    Math.min(cap, summaryBudget({ limits: effective, promptTokens: promptTokens(prompts, kind, count), reserveOutput: reserve }));
  const budgets: Budgets = {
    summary: budget('summary', reservedOutput.summary),
    notes: budget('notes', reservedOutput.notes),
    merge: budget('merge', reservedOutput.merge),
    final: budget('summary-from-notes', reservedOutput.summary),
  };

  const pageTokens = count(text);
  if (pageTokens <= budgets.summary) {
    return { kind: 'single', request: prompts.request('summary', text), pageTokens, budgets, limits };
  }
  if (Math.min(budgets.notes, budgets.merge, budgets.final) < Math.max(minUsefulBudget, minChunkBudget)) {
    throw contextTooSmall(opts.model, limits.context);
  }
  // Room for the "[p. 12, continued]" a chunk cut mid-page starts with.
  // A PDF's pages are marked "[p. N]": every chunk starts with the page it is on.
  const pdf = page.source === 'pdf';
  const chunkBudget = pdf ? budgets.notes - pageMarkerTokens : budgets.notes;
  const cut = chunkText(text, { budget: chunkBudget, count, overlapTokens: opts.overlapTokens ?? 100 });
  const chunks = pdf ? cut.map((c) => ({ ...c, text: withPageMarker(c, text) })) : cut;
  return { kind: 'map-reduce', chunks, pageTokens, budgets, limits, prompts, count };
}

export interface RunSummaryOptions extends PlanOptions, MapReduceIo {}

export interface SummaryResult {
  text: string;
  /** 1 for a single request, else the number of chunks summarised. */
  chunks: number;
  pageTokens: number;
}

export async function runSummary(page: PageContent | ReadablePage, opts: RunSummaryOptions): Promise<SummaryResult> {
  const plan = await planSummary(page, opts);
  if (plan.kind === 'single') {
    // No progress events: the streamed answer is the progress.
    const result = await opts.chat(plan.request, { signal: opts.signal, onDelta: opts.onDelta, onStatus: opts.onStatus });
    return { text: result.text, chunks: 1, pageTokens: plan.pageTokens };
  }
  const { prompts } = plan;
  const text = await runMapReduce(
    {
      parts: plan.chunks.map((c) => c.text),
      notesRequest: (part) => prompts.request('notes', part),
      mergeRequest: (notes) => prompts.request('merge', notes),
      finalRequest: (notes) => prompts.request('summary-from-notes', notes),
      mergeBudget: plan.budgets.merge,
      finalBudget: plan.budgets.final,
      count: plan.count,
    },
    opts,
  );
  return { text, chunks: plan.chunks.length, pageTokens: plan.pageTokens };
}
