// Provider settings live in storage.local, the API key only as vault ciphertext. Only the
// background decrypts it, right before a request. A passphrase-protected key, once unlocked,
// stays usable for the browser session through storage.session (memory only, and not readable
// by content scripts).
import { browser } from 'wxt/browser';
import type { ProviderConfig } from '../../lib/llm/types';
import type { PublicSettings, SettingsInput } from '../../lib/messages';
import { dexieDeviceKeyStore } from '../../lib/security/device-key-store';
import { createVault, type SealedSecret } from '../../lib/security/vault';

interface StoredSettings {
  baseUrl: string;
  model: string;
  apiKey?: SealedSecret;
  /** `sk-…abcd`: enough to recognise the key, never enough to use it. */
  keyMask: string;
}

const storageKey = 'settings';
const unlockedKey = 'unlockedApiKey';
export const defaultSettings: StoredSettings = { baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', keyMask: '' };

let vault: ReturnType<typeof createVault> | undefined;
const getVault = () => (vault ??= createVault({ deviceKeys: dexieDeviceKeyStore() }));

async function load(): Promise<StoredSettings | undefined> {
  const got = await browser.storage.local.get(storageKey);
  return got[storageKey] as StoredSettings | undefined;
}

async function unlocked(): Promise<string | undefined> {
  return (await browser.storage.session.get(unlockedKey))[unlockedKey] as string | undefined;
}

export function maskKey(key: string): string {
  if (!key) return '';
  const head = key.startsWith('sk-') ? 'sk-' : '';
  return `${head}…${key.slice(-4)}`;
}

export async function getPublicSettings(): Promise<PublicSettings> {
  const s = (await load()) ?? defaultSettings;
  const passphraseProtected = !!s.apiKey?.kdf;
  return {
    baseUrl: s.baseUrl,
    model: s.model,
    hasKey: !!s.apiKey,
    keyMask: s.keyMask,
    passphraseProtected,
    locked: passphraseProtected && !(await unlocked()),
  };
}

export async function saveSettings(input: SettingsInput): Promise<PublicSettings> {
  const current = (await load()) ?? defaultSettings;
  const next: StoredSettings = { ...current, baseUrl: input.baseUrl.replace(/\/+$/, ''), model: input.model };
  if (input.apiKey !== undefined) {
    next.apiKey = input.apiKey ? await getVault().seal(input.apiKey, input.passphrase) : undefined;
    next.keyMask = maskKey(input.apiKey);
    // The user just typed it: no need to unlock what they saved a second ago.
    if (input.passphrase && input.apiKey) await browser.storage.session.set({ [unlockedKey]: input.apiKey });
    else await browser.storage.session.remove(unlockedKey);
  }
  await browser.storage.local.set({ [storageKey]: next });
  return getPublicSettings();
}

export async function unlockVault(passphrase: string): Promise<PublicSettings> {
  const sealed = (await load())?.apiKey;
  if (sealed?.kdf) await browser.storage.session.set({ [unlockedKey]: await getVault().open(sealed, passphrase) });
  return getPublicSettings();
}

export async function lockVault(): Promise<PublicSettings> {
  await browser.storage.session.remove(unlockedKey);
  return getPublicSettings();
}

export class NotConfiguredError extends Error {
  readonly kind = 'not_configured';
  constructor() {
    super('No model is set up yet. Open Precis options to add a base URL, model and API key.');
  }
}

/** What the LLM client calls before each request, so a saved change applies to the next one. */
export async function getProvider(): Promise<ProviderConfig> {
  const s = await load();
  if (!s) throw new NotConfiguredError();
  let apiKey = '';
  if (s.apiKey?.kdf) apiKey = (await unlocked()) ?? (await getVault().open(s.apiKey));
  else if (s.apiKey) apiKey = await getVault().open(s.apiKey);
  return { baseUrl: s.baseUrl, model: s.model, apiKey };
}
