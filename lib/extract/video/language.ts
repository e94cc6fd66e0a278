// The output language is free text ("Deutsch", "German", "中文", "pt-BR"); caption tracks are
// named by code. Intl knows every language's name in English and in itself, so no table of ours.
const codes = [
  'ar', 'bg', 'bn', 'ca', 'cs', 'da', 'de', 'el', 'en', 'es', 'et', 'fa', 'fi', 'fil', 'fr', 'he', 'hi', 'hr', 'hu', 'id', 'it',
  'ja', 'ko', 'lt', 'lv', 'ms', 'nl', 'no', 'pl', 'pt', 'ro', 'ru', 'sk', 'sl', 'sr', 'sv', 'ta', 'th', 'tr', 'uk', 'ur', 'vi', 'zh',
];

const nameOf = (code: string, locale: string) => {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(code)?.toLowerCase();
  } catch {
    return undefined;
  }
};

/** The language code a user's language name (or code) stands for; undefined when none matches. */
export function languageCode(name: string): string | undefined {
  const wanted = name.trim().toLowerCase();
  if (!wanted) return undefined;
  if (/^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$/i.test(wanted) && nameOf(wanted, 'en') !== wanted) return wanted.replace('_', '-');
  // "中文" and "简体中文" alike: a name that contains the language's own name.
  return codes.find((code) => [nameOf(code, 'en'), nameOf(code, code)].some((n) => n && (wanted === n || wanted.includes(n))));
}
