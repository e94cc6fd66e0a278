import { t } from './i18n';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** "cached · 3 h ago", in the UI's language. */
export function cachedAge(at: number, now: number): string {
  const age = Math.max(0, now - at);
  if (age < minute) return t('cachedJustNow');
  if (age < hour) return t('cachedMinutes', { n: Math.floor(age / minute) });
  if (age < day) return t('cachedHours', { n: Math.floor(age / hour) });
  return t('cachedDays', { n: Math.floor(age / day) });
}
