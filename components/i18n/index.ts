// UI strings in English and Simplified Chinese. Our own table rather than browser.i18n, because
// the user can override the browser's locale and content scripts must render the same strings.
import type { ErrorKind } from '../../lib/errors';
import { en, type MessageKey } from './en';
import { zh_CN } from './zh_CN';

export type Locale = 'en' | 'zh_CN';
export type { MessageKey };

const tables: Record<Locale, Record<MessageKey, string>> = { en, zh_CN };

export function detectLocale(language: string | undefined): Locale {
  return language?.toLowerCase().startsWith('zh') ? 'zh_CN' : 'en';
}

let current: Locale = detectLocale(globalThis.navigator?.language);

export function setLocale(locale: Locale) {
  current = locale;
}

/** The current language as a BCP 47 tag, for `<html lang>`. */
export const languageTag = (): string => (current === 'zh_CN' ? 'zh-CN' : 'en');

export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  return tables[current][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

/** The heading for an error kind (every kind has one: the compiler checks), or the generic one for a kind stored by an older version. */
export function errorHeading(kind: ErrorKind): string {
  const key: MessageKey = `kind_${kind}`;
  return key in en ? t(key) : t('kind_internal');
}

/**
 * The explanation of an error kind in another UI language, where one is written: the error's own
 * message is English, with the details (which is what English readers get).
 */
export function errorHelp(kind: ErrorKind): string | undefined {
  // Firefox has no switch for file access: its words say what to do there instead.
  const key = kind === 'file_access' && import.meta.env.FIREFOX ? 'help_file_access_firefox' : `help_${kind}`;
  return current !== 'en' && key in en ? t(key as MessageKey) : undefined;
}
