// Everything the user can set that is not a secret: stored in storage.local as one object. Saving
// validates strictly (a bad value is refused with a message); reading is lenient (an old or
// hand-edited value falls back to its default field by field, never to an error).
import { z } from 'zod';

export const customPrompt = z.object({
  id: z.string().min(1).max(40),
  name: z.string().trim().min(1).max(60),
  /** Placeholders: {{page}}, {{selection}}, {{title}}, {{url}}, {{language}}. */
  template: z.string().trim().min(1).max(8000),
});
export type CustomPrompt = z.infer<typeof customPrompt>;

/** USD per million tokens, by model. */
export const priceTableInput = z.record(
  z.string().trim().min(1).max(200),
  z.object({ inputPerMTok: z.number().nonnegative().finite(), outputPerMTok: z.number().nonnegative().finite() }),
);

const fields = {
  /** UI language; 'auto' follows the browser. */
  uiLocale: z.enum(['auto', 'en', 'zh_CN']),
  /** Language summaries are written in; empty = the page's own language. */
  outputLanguage: z.string().trim().max(40),
  /** Replaces the built-in summary prompt when set. */
  summaryTemplate: z.string().trim().max(8000),
  customPrompts: z.array(customPrompt).max(20),
  /** The LLM client's limits. */
  maxConcurrency: z.number().int().min(1).max(32),
  /**
   * At most this many attempts per request; 0: retry until the request's deadline. Replaces
   * `maxAttempts` (default 4), which stored values may still hold and reading ignores: a fixed
   * count failed requests the deadline could still carry.
   */
  attemptLimit: z.number().int().min(0).max(8),
  /** Chat answers are cached only when deterministic, unless the user opts in. */
  cacheChatAnswers: z.boolean(),
  summaryTtlDays: z.number().min(0).max(365),
  /** Where "Summarise page" shows the summary: the sidebar in the page, or the browser's side panel. */
  summariseOpensIn: z.enum(['sidebar', 'sidepanel']),
  /** The user's prices (USD per million tokens), laid over the built-in list for "saved" estimates. */
  prices: priceTableInput,
};

export const defaultPreferences = {
  uiLocale: 'auto',
  outputLanguage: '',
  summaryTemplate: '',
  customPrompts: [],
  maxConcurrency: 8,
  attemptLimit: 0,
  cacheChatAnswers: false,
  summaryTtlDays: 7,
  summariseOpensIn: 'sidebar',
  prices: {},
} satisfies z.infer<z.ZodObject<typeof fields>>;

/** What a save may change: any subset of the fields, each valid. */
export const preferencesPatch = z.object(fields).partial().strict();
export type PreferencesPatch = z.infer<typeof preferencesPatch>;
export type Preferences = z.infer<z.ZodObject<typeof fields>>;

/** Reads whatever is stored, keeping each valid field and defaulting the rest. */
export function readPreferences(stored: unknown): Preferences {
  const input = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const prefs: Record<string, unknown> = { ...defaultPreferences };
  for (const [name, schema] of Object.entries(fields)) {
    const parsed = schema.safeParse(input[name]);
    if (parsed.success) prefs[name] = parsed.data;
  }
  return prefs as Preferences;
}

/** A custom prompt's template with the selection filled in; the rest is filled like a summary's. */
export function withSelection(template: string, selection: string): string {
  // Braces in the selection must not become placeholders of their own.
  return template.replaceAll('{{selection}}', selection.replaceAll('{{', '{ {'));
}
