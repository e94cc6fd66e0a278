import { describe, expect, it } from 'vitest';
import { createVault, VaultError, type DeviceKeyStore, type SealedSecret } from '../../../lib/security/vault';

function memoryKeys(): DeviceKeyStore & { saved: CryptoKey[] } {
  const saved: CryptoKey[] = [];
  return { saved, load: async () => saved.at(-1), save: async (k) => void saved.push(k) };
}

const secret = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';

function flipByte(sealed: SealedSecret): SealedSecret {
  const bytes = Uint8Array.from(atob(sealed.data), (c) => c.charCodeAt(0));
  bytes[3] = bytes[3]! ^ 0xff;
  return { ...sealed, data: btoa(String.fromCharCode(...bytes)) };
}

describe('key vault', () => {
  it('round-trips a key and stores only ciphertext', async () => {
    const keys = memoryKeys();
    const vault = createVault({ deviceKeys: keys });
    const sealed = await vault.seal(secret);
    expect(JSON.stringify(sealed)).not.toContain('sk-proj');
    expect(atob(sealed.iv)).toHaveLength(12);
    expect(await vault.open(sealed)).toBe(secret);
  });

  it('uses a non-extractable device key, created once and reused', async () => {
    const keys = memoryKeys();
    const vault = createVault({ deviceKeys: keys });
    await Promise.all([vault.seal('a'), vault.seal('b')]);
    expect(keys.saved).toHaveLength(1);
    expect(keys.saved[0]!.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', keys.saved[0]!)).rejects.toThrow();
  });

  it('never reuses an IV', async () => {
    const vault = createVault({ deviceKeys: memoryKeys() });
    const ivs = new Set((await Promise.all(Array.from({ length: 50 }, () => vault.seal(secret)))).map((s) => s.iv));
    expect(ivs.size).toBe(50);
  });

  it('rejects tampered ciphertext', async () => {
    const vault = createVault({ deviceKeys: memoryKeys() });
    const sealed = await vault.seal(secret);
    await expect(vault.open(flipByte(sealed))).rejects.toMatchObject({ kind: 'corrupt' });
  });

  it('a different device key (another profile) cannot open it', async () => {
    const sealed = await createVault({ deviceKeys: memoryKeys() }).seal(secret);
    await expect(createVault({ deviceKeys: memoryKeys() }).open(sealed)).rejects.toBeInstanceOf(VaultError);
  });

  it('a passphrase-sealed key needs the right passphrase', async () => {
    const vault = createVault({ deviceKeys: memoryKeys(), iterations: 1000 });
    const sealed = await vault.seal(secret, 'correct horse');
    expect(sealed.kdf).toMatchObject({ name: 'PBKDF2', iterations: 1000 });
    await expect(vault.open(sealed)).rejects.toMatchObject({ kind: 'locked' });
    await expect(vault.open(sealed, 'wrong horse')).rejects.toMatchObject({ kind: 'wrong_passphrase' });
    expect(await vault.open(sealed, 'correct horse')).toBe(secret);
  });
});
