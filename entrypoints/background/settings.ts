// Provider settings live in storage.local; the API key and any extra header values (gateway
// credentials) only as vault ciphertext. Only the background decrypts them, right before a
// request. A passphrase-protected key, once unlocked, stays usable for the browser session through
// storage.session (memory only, and not readable by content scripts).
import { browser } from 'wxt/browser';
import type { ProviderConfig } from '../../lib/llm/types';
import type { PublicSettings, SettingsInput } from '../../lib/messages';
import { localOriginRuleUpdate, presetForBaseUrl, resolveProvider } from '../../lib/providers';
import { dexieDeviceKeyStore } from '../../lib/security/device-key-store';
import { createVault, type SealedSecret } from '../../lib/security/vault';

interface StoredSettings {
  presetId?: string;
  baseUrl: string;
  model: string;
  kind?: 'openai' | 'anthropic';
  azure?: { resource: string; deployment: string; apiVersion?: string };
  apiKey?: SealedSecret;
  /** `sk-…abcd`: enough to recognise the key, never enough to use it. */
  keyMask: string;
  /** JSON of the extra headers, sealed under the device key. */
  headers?: SealedSecret;
  headerNames?: string[];
}

const storageKey = 'settings';
const unlockedKey = 'unlockedApiKey';
const defaults: StoredSettings = { presetId: 'openai', baseUrl: '', model: '', keyMask: '' };

let vault: ReturnType<typeof createVault> | undefined;
const getVault = () => (vault ??= createVault({ deviceKeys: dexieDeviceKeyStore() }));

async function load(): Promise<StoredSettings | undefined> {
  const got = await browser.storage.local.get(storageKey);
  return got[storageKey] as StoredSettings | undefined;
}

/** Settings saved before presets existed name only a base URL: find the preset it belongs to. */
const presetOf = (s: StoredSettings) => s.presetId ?? presetForBaseUrl(s.baseUrl)?.id ?? 'custom';

async function unlocked(): Promise<string | undefined> {
  return (await browser.storage.session.get(unlockedKey))[unlockedKey] as string | undefined;
}

export function maskKey(key: string): string {
  if (!key) return '';
  const head = key.startsWith('sk-') ? 'sk-' : '';
  return `${head}…${key.slice(-4)}`;
}

export async function getPublicSettings(): Promise<PublicSettings> {
  const stored = await load();
  const s = stored ?? defaults;
  const passphraseProtected = !!s.apiKey?.kdf;
  return {
    presetId: presetOf(s),
    baseUrl: s.baseUrl,
    model: s.model,
    ...(s.kind && { kind: s.kind }),
    ...(s.azure && { azure: s.azure }),
    headerNames: s.headerNames ?? [],
    configured: !!stored,
    hasKey: !!s.apiKey,
    keyMask: s.keyMask,
    passphraseProtected,
    locked: passphraseProtected && !(await unlocked()),
  };
}

export async function saveSettings(input: SettingsInput): Promise<PublicSettings> {
  const current = (await load()) ?? defaults;
  const next: StoredSettings = {
    ...current,
    presetId: input.presetId,
    baseUrl: input.baseUrl.replace(/\/+$/, ''),
    model: input.model,
    kind: input.kind,
    azure: input.azure,
  };
  if (input.apiKey !== undefined) {
    next.apiKey = input.apiKey ? await getVault().seal(input.apiKey, input.passphrase) : undefined;
    next.keyMask = maskKey(input.apiKey);
    // The user just typed it: no need to unlock what they saved a second ago.
    if (input.passphrase && input.apiKey) await browser.storage.session.set({ [unlockedKey]: input.apiKey });
    else await browser.storage.session.remove(unlockedKey);
  }
  if (input.headers !== undefined) {
    const names = Object.keys(input.headers);
    next.headers = names.length ? await getVault().seal(JSON.stringify(input.headers)) : undefined;
    next.headerNames = names;
  }
  await browser.storage.local.set({ [storageKey]: next });
  await applyLocalOriginRule();
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
    super('No model is set up yet. Open Precis options to choose a provider, a model and an API key.');
  }
}

/** What the LLM client calls before each request, so a saved change applies to the next one. */
export async function getProvider(): Promise<ProviderConfig> {
  const s = await load();
  if (!s) throw new NotConfiguredError();
  let apiKey = '';
  if (s.apiKey?.kdf) apiKey = (await unlocked()) ?? (await getVault().open(s.apiKey));
  else if (s.apiKey) apiKey = await getVault().open(s.apiKey);
  const headers = s.headers ? (JSON.parse(await getVault().open(s.headers)) as Record<string, string>) : undefined;
  return resolveProvider({
    presetId: presetOf(s),
    baseUrl: s.baseUrl,
    model: s.model,
    apiKey,
    ...(headers && { headers }),
    ...(s.kind && { kind: s.kind }),
    ...(s.azure && { azure: s.azure }),
  });
}

/**
 * Local servers such as Ollama refuse requests from extension origins. For a local base URL, a
 * declarativeNetRequest rule gives our own requests the server's origin instead; for any other
 * it is removed. Runs at start-up and on every save, since dynamic rules outlive both.
 */
export async function applyLocalOriginRule() {
  if (!browser.declarativeNetRequest) return;
  const provider = await getProvider().catch(() => undefined);
  const extensionHost = new URL(browser.runtime.getURL('/')).hostname;
  await browser.declarativeNetRequest.updateDynamicRules(localOriginRuleUpdate(provider?.baseUrl ?? '', extensionHost));
}
