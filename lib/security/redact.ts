// Error text from servers and gateways sometimes echoes the key back ("Incorrect API key provided:
// sk-abc…"). Anything that may reach the UI, logs or the job store passes through here first.

const KEY_SHAPES: RegExp[] = [
  // Authorization header values, whatever the token looks like.
  /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{4,}/gi,
  // Prefixed provider keys: OpenAI/Anthropic/OpenRouter/DeepSeek (sk-…), Groq (gsk_), xAI,
  // Hugging Face, Perplexity, Replicate, GitHub, Google.
  /\b(sk|gsk|xai|hf|pplx|r8|ghp|gho|github_pat)[-_][A-Za-z0-9_*-]{6,}/gi,
  /\bAIza[0-9A-Za-z_-]{20,}/g,
  // key=value / "api_key": "value" pairs in query strings and JSON.
  /\b(api[_-]?key|access[_-]?token|secret|password|token|key)(["']?\s*[:=]\s*["']?)([^\s"'&,;}]{8,})/gi,
];

/** Replaces anything shaped like a credential, plus each exact `secrets` value, with `[redacted]`. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Short values (an empty or placeholder key) would shred ordinary words.
    if (secret.length >= 6) out = out.split(secret).join('[redacted]');
  }
  for (const shape of KEY_SHAPES) {
    out = out.replace(shape, (match: string, ...groups: unknown[]) => {
      const [name, separator, value] = groups;
      if (typeof value === 'string' && typeof name === 'string' && typeof separator === 'string') {
        return `${name}${separator}[redacted]`;
      }
      if (typeof name === 'string' && /^bearer$/i.test(name)) return `${name} [redacted]`;
      return match.length > 0 ? '[redacted]' : match;
    });
  }
  return out;
}
