// Every view applies the user's interface language before its first render.
import { detectLocale, setLocale } from './i18n';
import { sendRequest } from './sendRequest';

export async function applyUiLocale(): Promise<void> {
  const prefs = await sendRequest({ type: 'prefs.get' }).catch(() => undefined);
  const chosen = prefs?.uiLocale ?? 'auto';
  setLocale(chosen === 'auto' ? detectLocale(navigator.language) : chosen);
}
