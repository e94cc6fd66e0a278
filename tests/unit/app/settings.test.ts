import { describe, expect, it } from 'vitest';
import { createSettings } from '../../../lib/app/settings';
import { createVault } from '../../../lib/security/vault';
import { memoryArea, memoryDeviceKeys } from './fake-platform';

function settings() {
  const local = memoryArea();
  const session = memoryArea();
  const rules: string[] = [];
  const s = createSettings({
    local,
    session,
    vault: createVault({ deviceKeys: memoryDeviceKeys(), iterations: 1_000 }),
    onProviderChanged: async (baseUrl) => void rules.push(baseUrl),
  });
  return { s, local, session, rules };
}

describe('provider settings', () => {
  it('is not configured until saved, and says so in words', async () => {
    const { s } = settings();
    expect(await s.getPublic()).toMatchObject({ configured: false, hasKey: false, presetId: 'openai' });
    await expect(s.getProvider()).rejects.toMatchObject({ kind: 'not_configured', message: expect.stringContaining('Open Precis options') });
  });

  it('stores the key only sealed, shows only its mask, and decrypts it for the client', async () => {
    const { s, local, rules } = settings();
    const saved = await s.save({ presetId: 'custom', baseUrl: 'http://127.0.0.1:9/v1/', model: 'm', apiKey: 'sk-secret-1234' });
    expect(saved).toMatchObject({ configured: true, hasKey: true, keyMask: 'sk-…1234', baseUrl: 'http://127.0.0.1:9/v1', locked: false });
    expect(JSON.stringify([...local.data.values()])).not.toContain('sk-secret');
    expect(JSON.stringify(saved)).not.toContain('sk-secret');
    expect(await s.getProvider()).toMatchObject({ apiKey: 'sk-secret-1234', baseUrl: 'http://127.0.0.1:9/v1', model: 'm' });
    // The Origin rule follows every save.
    expect(rules).toEqual(['http://127.0.0.1:9/v1']);
  });

  it('keeps extra header values sealed and shows only their names', async () => {
    const { s, local } = settings();
    const saved = await s.save({ presetId: 'custom', baseUrl: 'https://gw.example/v1', model: 'm', headers: { 'x-team-token': 'tt-secret' } });
    expect(saved.headerNames).toEqual(['x-team-token']);
    expect(JSON.stringify([...local.data.values()])).not.toContain('tt-secret');
    expect((await s.getProvider()).headers).toMatchObject({ 'x-team-token': 'tt-secret' });
  });

  it('locks a passphrase-protected key when the session ends, and unlocks it with the passphrase', async () => {
    const { s, session } = settings();
    await s.save({ presetId: 'custom', baseUrl: 'https://api.example/v1', model: 'm', apiKey: 'sk-locked-9999', passphrase: 'correct horse' });
    expect(await s.getPublic()).toMatchObject({ passphraseProtected: true, locked: false });
    session.data.clear(); // the browser restarted
    expect(await s.getPublic()).toMatchObject({ locked: true });
    await expect(s.getProvider()).rejects.toMatchObject({ kind: 'locked' });
    await expect(s.unlock('wrong horse')).rejects.toMatchObject({ kind: 'wrong_passphrase' });
    expect(await s.unlock('correct horse')).toMatchObject({ locked: false });
    expect((await s.getProvider()).apiKey).toBe('sk-locked-9999');
    expect(await s.lock()).toMatchObject({ locked: true });
  });

  it('keeps the stored key when a save leaves it out, and deletes it when the save empties it', async () => {
    const { s } = settings();
    await s.save({ presetId: 'custom', baseUrl: 'https://api.example/v1', model: 'm', apiKey: 'sk-keep-0000' });
    await s.save({ presetId: 'custom', baseUrl: 'https://api.example/v1', model: 'other' });
    expect(await s.getProvider()).toMatchObject({ apiKey: 'sk-keep-0000', model: 'other' });
    expect(await s.save({ presetId: 'custom', baseUrl: 'https://api.example/v1', model: 'm', apiKey: '' })).toMatchObject({ hasKey: false, keyMask: '' });
  });
});
