// Every view applies the user's interface language before its first render.
import { browser } from 'wxt/browser';
import { detectLocale, languageTag, setLocale } from './i18n';
import { sendRequest } from './sendRequest';

export async function applyUiLocale(): Promise<void> {
  const prefs = await sendRequest({ type: 'prefs.get' }).catch(() => undefined);
  const chosen = prefs?.uiLocale ?? 'auto';
  setLocale(chosen === 'auto' ? detectLocale(navigator.language) : chosen);
  // Our own pages say their language; a content script leaves the page's <html> alone.
  if (location.origin === new URL(browser.runtime.getURL('/')).origin) document.documentElement.lang = languageTag();
}
