// Provider settings live in storage.local; the API key and any extra header values (gateway
// credentials) only as vault ciphertext. Only the background decrypts them, right before a
// request. A passphrase-protected key, once unlocked, stays usable for the browser session through
// storage.session (memory only, and not readable by content scripts).
import { appErrors } from '../errors';
import type { ProviderConfig } from '../llm/types';
import { presetForBaseUrl, resolveProvider } from '../providers';
import type { SealedSecret, Vault } from '../security/vault';
import { locksOf, type ManagedPolicy } from './policy';
import type { KeyValueArea } from './ports';
import type { PublicSettings, SettingsInput } from './protocol';

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

/** Settings saved before presets existed name only a base URL: find the preset it belongs to. */
const presetOf = (s: StoredSettings) => s.presetId ?? presetForBaseUrl(s.baseUrl)?.id ?? 'custom';

export function maskKey(key: string): string {
  if (!key) return '';
  const head = key.startsWith('sk-') ? 'sk-' : '';
  return `${head}…${key.slice(-4)}`;
}

export interface SettingsDeps {
  local: KeyValueArea;
  session: KeyValueArea;
  vault: Vault;
  /** Called with the provider's base URL after every save ('' when none can be resolved). */
  onProviderChanged(baseUrl: string): Promise<void>;
  /** What the administrator fixed ({} when unmanaged). */
  managed?(): Promise<ManagedPolicy>;
}

/** The stored settings with the administrator's values over them: what requests use and the form shows. */
function withPolicy(s: StoredSettings, policy: ManagedPolicy): StoredSettings {
  const model = policy.models && !policy.models.includes(s.model) ? policy.models[0]! : s.model;
  return {
    ...s,
    ...(policy.presetId !== undefined && { presetId: policy.presetId }),
    ...(policy.baseUrl !== undefined && { baseUrl: policy.baseUrl }),
    model,
  };
}

/** Refuses what the policy does not allow, in the administrator's words. */
function checkAgainstPolicy(input: SettingsInput, policy: ManagedPolicy) {
  const refuse = () => appErrors.managed(policy.reason ?? '');
  if (policy.presetId !== undefined && input.presetId !== policy.presetId) throw refuse();
  const baseUrl = input.baseUrl.replace(/\/+$/, '');
  if (policy.baseUrl !== undefined && baseUrl && baseUrl !== policy.baseUrl.replace(/\/+$/, '')) throw refuse();
  if (policy.allowCustomEndpoints === false && policy.baseUrl === undefined && (baseUrl || input.presetId === 'custom')) throw refuse();
  if (policy.models && input.model && !policy.models.includes(input.model)) throw refuse();
  if (policy.headers !== undefined && input.headers !== undefined) throw refuse();
}

export function createSettings(deps: SettingsDeps) {
  const policy = async () => (await deps.managed?.()) ?? {};
  const load = async () => (await deps.local.get(storageKey)) as StoredSettings | undefined;
  const unlocked = async () => (await deps.session.get(unlockedKey)) as string | undefined;

  async function getPublic(): Promise<PublicSettings> {
    const [stored, managed] = await Promise.all([load(), policy()]);
    const s = withPolicy(stored ?? defaults, managed);
    const locks = locksOf(managed);
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
      ...(locks && { managed: locks }),
    };
  }

  /** What the LLM client calls before each request, so a saved change applies to the next one. */
  async function getProvider(): Promise<ProviderConfig> {
    const [stored, managed] = await Promise.all([load(), policy()]);
    // An administrator's endpoint is a provider even before the user saves anything.
    if (!stored && managed.baseUrl === undefined) throw appErrors.notConfigured();
    const s = withPolicy(stored ?? defaults, managed);
    let apiKey = '';
    if (s.apiKey?.kdf) apiKey = (await unlocked()) ?? (await deps.vault.open(s.apiKey));
    else if (s.apiKey) apiKey = await deps.vault.open(s.apiKey);
    const own = s.headers ? (JSON.parse(await deps.vault.open(s.headers)) as Record<string, string>) : undefined;
    const headers = managed.headers ?? own;
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

  /** Local servers refuse extension origins; the rule that fixes that follows the saved provider. */
  async function syncLocalOriginRule() {
    const provider = await getProvider().catch(() => undefined);
    await deps.onProviderChanged(provider?.baseUrl ?? '');
  }

  return {
    getPublic,
    getProvider,
    syncLocalOriginRule,

    async save(input: SettingsInput): Promise<PublicSettings> {
      checkAgainstPolicy(input, await policy());
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
        next.apiKey = input.apiKey ? await deps.vault.seal(input.apiKey, input.passphrase) : undefined;
        next.keyMask = maskKey(input.apiKey);
        // The user just typed it: no need to unlock what they saved a second ago.
        if (input.passphrase && input.apiKey) await deps.session.set(unlockedKey, input.apiKey);
        else await deps.session.remove(unlockedKey);
      }
      if (input.headers !== undefined) {
        const names = Object.keys(input.headers);
        next.headers = names.length ? await deps.vault.seal(JSON.stringify(input.headers)) : undefined;
        next.headerNames = names;
      }
      await deps.local.set(storageKey, next);
      await syncLocalOriginRule();
      return getPublic();
    },

    async unlock(passphrase: string): Promise<PublicSettings> {
      const sealed = (await load())?.apiKey;
      if (sealed?.kdf) await deps.session.set(unlockedKey, await deps.vault.open(sealed, passphrase));
      return getPublic();
    },

    async lock(): Promise<PublicSettings> {
      await deps.session.remove(unlockedKey);
      return getPublic();
    },
  };
}

export type Settings = ReturnType<typeof createSettings>;
