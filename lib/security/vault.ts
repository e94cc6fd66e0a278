// The API key at rest: AES-GCM under a non-extractable device key that lives in IndexedDB, so no
// script, not even ours, can read the raw key material; only ciphertext reaches storage.local.
// An optional passphrase (PBKDF2 → AES-GCM) replaces the device key for users who want the key
// unreadable without them. What this does and does not protect against is in the README.
import { AppError } from '../errors';

export interface SealedSecret {
  v: 1;
  /** base64 of the 96-bit IV, fresh for every encryption. */
  iv: string;
  /** base64 of the AES-GCM ciphertext with its tag. */
  data: string;
  /** Present when sealed under a passphrase instead of the device key. */
  kdf?: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string };
}

export interface DeviceKeyStore {
  load(): Promise<CryptoKey | undefined>;
  save(key: CryptoKey): Promise<void>;
}

export class VaultError extends AppError<'wrong_passphrase' | 'corrupt' | 'locked'> {
  override readonly name = 'VaultError';
}

/** Shorter passphrases are refused: the options form says so before the background would. */
export const minPassphraseLength = 8;

/** OWASP's 2023 guidance for PBKDF2-HMAC-SHA256. */
export const pbkdf2Iterations = 600_000;

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export function createVault(deps: { deviceKeys: DeviceKeyStore; subtle?: SubtleCrypto; iterations?: number }) {
  const subtle = deps.subtle ?? crypto.subtle;
  const iterations = deps.iterations ?? pbkdf2Iterations;
  let pendingDeviceKey: Promise<CryptoKey> | undefined;

  function deviceKey(): Promise<CryptoKey> {
    pendingDeviceKey ??= (async () => {
      const existing = await deps.deviceKeys.load();
      if (existing) return existing;
      const key = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
      await deps.deviceKeys.save(key);
      return key;
    })();
    pendingDeviceKey.catch(() => (pendingDeviceKey = undefined));
    return pendingDeviceKey;
  }

  async function passphraseKey(passphrase: string, salt: Uint8Array, rounds: number): Promise<CryptoKey> {
    const material = await subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
    return subtle.deriveKey(
      { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations: rounds },
      material,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    );
  }

  async function encrypt(key: CryptoKey, plain: string): Promise<Pick<SealedSecret, 'iv' | 'data'>> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(plain));
    return { iv: toBase64(iv), data: toBase64(new Uint8Array(data)) };
  }

  return {
    async seal(plain: string, passphrase?: string): Promise<SealedSecret> {
      if (!passphrase) return { v: 1, ...(await encrypt(await deviceKey(), plain)) };
      const salt = crypto.getRandomValues(new Uint8Array(16));
      const sealed = await encrypt(await passphraseKey(passphrase, salt, iterations), plain);
      return { v: 1, ...sealed, kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: toBase64(salt) } };
    },

    async open(sealed: SealedSecret, passphrase?: string): Promise<string> {
      if (sealed.kdf && !passphrase) throw new VaultError('locked', 'Enter your passphrase in Precis options to unlock it for this browser session.');
      const key = sealed.kdf
        ? await passphraseKey(passphrase!, fromBase64(sealed.kdf.salt), sealed.kdf.iterations)
        : await deviceKey();
      try {
        const plain = await subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(sealed.iv) }, key, fromBase64(sealed.data));
        return new TextDecoder().decode(plain);
      } catch {
        // AES-GCM cannot tell a wrong key from tampered bytes: both fail the tag check.
        throw sealed.kdf
          ? new VaultError('wrong_passphrase', 'That passphrase does not unlock the API key.')
          : new VaultError('corrupt', 'It was changed, or this browser profile lost its key. Enter the key again in Precis options.');
      }
    },
  };
}

export type Vault = ReturnType<typeof createVault>;
