// How much page fits in one request, per model. Names are matched loosely (provider prefixes such
// as `openai/` or `models/` and version suffixes are ignored) because every OpenAI-compatible
// gateway spells them a little differently; users fix anything we get wrong with overrides.

export interface ModelLimits {
  /** Context window in the model's own tokens: prompt and answer together. */
  context: number;
  /** Most the model will write in one answer. */
  maxOutput?: number;
  /** Some models cap the prompt below `context − maxOutput` (GPT-5: 272k of 400k). */
  maxInput?: number;
  /**
   * The model's tokens per o200k token, which is what we count. 1 for current OpenAI models;
   * above 1 where the model's tokenizer splits text finer, at least outside English.
   */
  tokenRatio: number;
}

type Row = [pattern: RegExp, limits: ModelLimits];

const openai = (context: number, maxOutput: number, extra: Partial<ModelLimits> = {}): ModelLimits => ({
  context,
  maxOutput,
  tokenRatio: 1,
  ...extra,
});
const other = (context: number, tokenRatio = 1.25): ModelLimits => ({ context, tokenRatio });
/**
 * GPT-4 and GPT-3.5 use cl100k: the same as o200k on English, up to 1.4× on other languages. Not
 * worth a second megabyte-sized table for legacy models.
 */
const cl100k = { tokenRatio: 1.4 };

/** First match wins, so the more specific patterns come first. */
export const contextTable: readonly Row[] = [
  [/^gpt-5(\.\d+)?-chat/, openai(128_000, 16_384)],
  [/^gpt-5\.[4-9]-(mini|nano)/, openai(400_000, 128_000, { maxInput: 272_000 })],
  [/^gpt-5\.[4-9]/, openai(1_050_000, 128_000, { maxInput: 922_000 })],
  [/^gpt-5/, openai(400_000, 128_000, { maxInput: 272_000 })],
  [/^gpt-4\.1/, openai(1_047_576, 32_768)],
  [/^gpt-4\.5/, openai(128_000, 16_384)],
  [/^gpt-4o|^chatgpt-4o/, openai(128_000, 16_384)],
  [/^o1-(mini|preview)/, openai(128_000, 32_768)],
  [/^o[1-9]/, openai(200_000, 100_000)],
  [/^gpt-oss/, openai(131_072, 32_768)],
  [/^gpt-4-(turbo|\d{4}-preview|vision)/, openai(128_000, 4_096, cl100k)],
  [/^gpt-4-32k/, openai(32_768, 8_192, cl100k)],
  [/^gpt-4/, openai(8_192, 8_192, cl100k)],
  [/^gpt-3\.5-turbo-instruct/, openai(4_096, 4_096, cl100k)],
  [/^gpt-3\.5/, openai(16_385, 4_096, cl100k)],
  [/claude/, other(200_000)],
  [/gemini-(1\.5|[2-9])/, other(1_048_576, 1.2)],
  [/gemini/, other(32_768, 1.2)],
  [/llama-?(3\.[1-9]|[4-9])/, other(128_000, 1.1)],
  [/llama/, other(8_192, 1.1)],
  [/codestral/, other(256_000)],
  [/mistral-(large|medium|small)|ministral|pixtral|nemo/, other(128_000)],
  [/mistral|mixtral/, other(32_768)],
  [/qwen/, other(32_768, 1.1)],
  [/deepseek/, other(64_000, 1.2)],
  [/grok/, other(128_000, 1.2)],
  [/command-(r|a)/, other(128_000)],
  [/gemma-?[3-9]/, other(128_000, 1.2)],
  [/gemma/, other(8_192, 1.2)],
];

/** What we assume of a model we do not know: small enough for most local servers. */
export const unknownModelLimits: ModelLimits = other(8_192);

/** Per-model corrections from settings. Keys are model names; a trailing `*` matches a prefix. */
export type ContextOverrides = Record<string, Partial<ModelLimits>>;

export function normaliseModelName(model: string): string {
  const name = model.trim().toLowerCase();
  return name.slice(name.lastIndexOf('/') + 1);
}

function validPatch(patch: Partial<ModelLimits>): Partial<ModelLimits> {
  const out: Partial<ModelLimits> = {};
  const positive = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0;
  if (positive(patch.context)) out.context = Math.floor(patch.context);
  if (positive(patch.maxOutput)) out.maxOutput = Math.floor(patch.maxOutput);
  if (positive(patch.maxInput)) out.maxInput = Math.floor(patch.maxInput);
  if (positive(patch.tokenRatio)) out.tokenRatio = patch.tokenRatio;
  return out;
}

function findOverride(model: string, overrides: ContextOverrides | undefined): Partial<ModelLimits> | undefined {
  if (!overrides) return undefined;
  const full = model.trim().toLowerCase();
  const short = normaliseModelName(model);
  let best: { length: number; patch: Partial<ModelLimits> } | undefined;
  for (const [key, patch] of Object.entries(overrides)) {
    const k = key.trim().toLowerCase();
    if (k === full || k === short) return patch;
    // The longest matching prefix wins, so `llama*` and `llama3.1*` can coexist.
    if (k.endsWith('*')) {
      const prefix = k.slice(0, -1);
      if ((full.startsWith(prefix) || short.startsWith(prefix)) && (!best || prefix.length > best.length)) {
        best = { length: prefix.length, patch };
      }
    }
  }
  return best?.patch;
}

export function modelLimits(model: string, overrides?: ContextOverrides): ModelLimits {
  const name = normaliseModelName(model);
  const row = contextTable.find(([pattern]) => pattern.test(name));
  const base = row ? row[1] : unknownModelLimits;
  const patch = findOverride(model, overrides);
  return patch ? { ...base, ...validPatch(patch) } : { ...base };
}

export interface BudgetInput {
  limits: ModelLimits;
  /** Tokens (as we count them) of everything in the request except the page: messages and framing. */
  promptTokens: number;
  /** Room kept for the answer, in the model's tokens. */
  reserveOutput: number;
}

/**
 * Page tokens (as we count them) that fit in one request:
 *   min(context − reserved output, max input) / tokenRatio − prompt − safety margin.
 * Reserved output is capped by the model's own output limit and by a quarter of the window, so a
 * small local model still has room for the page. Zero or less means even an empty page does not fit.
 */
export function summaryBudget({ limits, promptTokens, reserveOutput }: BudgetInput): number {
  const reserve = Math.min(reserveOutput, limits.maxOutput ?? Infinity, Math.floor(limits.context / 4));
  const input = Math.min(limits.context - reserve, limits.maxInput ?? Infinity);
  const ours = Math.floor(input / limits.tokenRatio);
  // Chat framing differs by server and our count of another model's tokens is an estimate.
  const margin = Math.max(16, Math.ceil(ours * 0.01));
  return ours - promptTokens - margin;
}
