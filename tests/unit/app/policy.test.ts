// A team's managed policy: read field by field, locking what the administrator fixed, in their words.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { locksOf, readPolicy } from '../../../lib/app/policy';
import { createSettings } from '../../../lib/app/settings';
import { createVault } from '../../../lib/security/vault';
import { setUpCore } from './core-harness';
import { article, memoryArea, memoryDeviceKeys, tab, tabSender } from './fake-platform';

const policy = {
  presetId: 'custom',
  baseUrl: 'https://gateway.example.com/v1',
  models: ['team-small', 'team-large'],
  headers: { 'x-portkey-config': 'pc-team' },
  cacheRetentionDays: 1,
  allowCustomEndpoints: false,
  allowNoKeyFeatures: false,
  reason: 'Set by Example Corp IT.',
};

function settingsUnder(raw: unknown) {
  return createSettings({
    local: memoryArea(),
    session: memoryArea(),
    vault: createVault({ deviceKeys: memoryDeviceKeys() }),
    onProviderChanged: async () => {},
    managed: async () => readPolicy(raw),
  });
}

describe('managed policy', () => {
  it('keeps each valid field and drops the invalid ones, so one typo does not void the rest', () => {
    expect(readPolicy(policy)).toEqual(policy);
    expect(readPolicy({ baseUrl: 'file:///etc/passwd', models: [], allowCustomEndpoints: 'no', reason: 'IT' })).toEqual({ reason: 'IT' });
    expect(readPolicy(undefined)).toEqual({});
    expect(locksOf({})).toBeUndefined();
  });

  it('locks the fixed fields with the reason, and offers only the listed models', () => {
    expect(locksOf(readPolicy(policy))).toEqual({
      fields: ['presetId', 'baseUrl', 'headers', 'cacheRetention'],
      reason: 'Set by Example Corp IT.',
      models: ['team-small', 'team-large'],
    });
    expect(locksOf({ allowCustomEndpoints: false })).toEqual({ fields: ['baseUrl'], reason: 'Set by your administrator.' });
  });

  it('requests go to the administrator’s endpoint with its headers and a listed model, whatever was stored', async () => {
    const settings = settingsUnder(policy);
    const provider = await settings.getProvider();
    expect(provider).toMatchObject({ baseUrl: 'https://gateway.example.com/v1', model: 'team-small', headers: { 'x-portkey-config': 'pc-team' } });
    expect(await settings.getPublic()).toMatchObject({ baseUrl: 'https://gateway.example.com/v1', managed: { fields: expect.arrayContaining(['baseUrl']) } });
  });

  it('refuses a save that changes what is locked, in the administrator’s words, and accepts one that does not', async () => {
    const settings = settingsUnder(policy);
    const base = { presetId: 'custom', baseUrl: '', model: 'team-large' };
    for (const change of [{ baseUrl: 'https://evil.example/v1' }, { presetId: 'openai' }, { model: 'gpt-4o' }, { headers: { 'x-a': 'b' } }]) {
      await expect(settings.save({ ...base, ...change })).rejects.toMatchObject({ kind: 'forbidden', message: expect.stringContaining('Set by Example Corp IT.') });
    }
    await settings.save({ ...base, apiKey: 'sk-team-1234' });
    expect(await settings.getProvider()).toMatchObject({ model: 'team-large', baseUrl: 'https://gateway.example.com/v1' });
  });

  it('forbidding custom endpoints leaves the presets’ own', async () => {
    const settings = settingsUnder({ allowCustomEndpoints: false });
    await expect(settings.save({ presetId: 'custom', baseUrl: 'https://mine.example/v1', model: 'm' })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(settings.save({ presetId: 'openai', baseUrl: 'https://mine.example/v1', model: 'm' })).rejects.toMatchObject({ kind: 'forbidden' });
    await settings.save({ presetId: 'openai', baseUrl: '', model: 'gpt-4o-mini', apiKey: 'sk-1234' });
  });
});

describe('the core under a policy', () => {
  const page = () => [tab(1, 'https://news.example/trains', article('Night trains are back in Europe. Operators added twelve routes this year.'))];

  it('without the team’s provider, no offline summary when the administrator turned the no-key features off', async () => {
    const { value } = setUpCore(page(), { allowNoKeyFeatures: false });
    expect(await value({ type: 'summarise.activeTab' })).toMatchObject({ ok: false, kind: 'not_configured' });
    const open = setUpCore(page(), {});
    expect(await open.value({ type: 'summarise.activeTab' })).toMatchObject({ ok: true });
  });

  it('keeps cached summaries only as long as the policy says, and lets a sidebar name only listed models', async () => {
    const { value, ask, tabs } = setUpCore(page(), { cacheRetentionDays: 0, models: ['team-small', 'team-large'], baseUrl: 'http://127.0.0.1:9/v1' });
    expect(await value({ type: 'prefs.get' })).toMatchObject({ summaryTtlDays: 0 });
    expect(await ask({ type: 'chat.send', text: 'Hi', attachPage: false, model: 'gpt-4o' }, tabSender(tabs[0]!))).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await ask({ type: 'chat.send', text: 'Hi', attachPage: false, model: 'team-large' }, tabSender(tabs[0]!))).toMatchObject({ ok: true });
  });

  it('saving the preferences form under a retention policy keeps the user’s own retention, and answers with the policy’s', async () => {
    const { value, env } = setUpCore(page(), { cacheRetentionDays: 2 });
    const prefs = await value<{ summaryTtlDays: number }>({ type: 'prefs.get' });
    // The form sends back everything it was shown, the locked retention included.
    expect(await value({ type: 'prefs.save', patch: { ...prefs, summaryTtlDays: 30, maxConcurrency: 3 } })).toMatchObject({ summaryTtlDays: 2, maxConcurrency: 3 });
    expect(await env.platform.local.get('preferences')).toMatchObject({ summaryTtlDays: 7, maxConcurrency: 3 });
  });
});
