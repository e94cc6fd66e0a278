import { describe, expect, it } from 'vitest';
import { clientOptions } from '../../lib/app/preferences-store';
import { defaultPreferences, preferencesPatch, readPreferences, withSelection } from '../../lib/preferences';

describe('preferences', () => {
  it('defaults everything when nothing is stored', () => {
    expect(readPreferences(undefined)).toEqual(defaultPreferences);
    expect(defaultPreferences).toMatchObject({ uiLocale: 'auto', maxConcurrency: 8, customPrompts: [] });
  });

  it('keeps valid fields and defaults invalid ones, one by one', () => {
    const prefs = readPreferences({ uiLocale: 'zh_CN', maxConcurrency: 999, outputLanguage: 'French', customPrompts: 'nope' });
    expect(prefs).toMatchObject({ uiLocale: 'zh_CN', maxConcurrency: 8, outputLanguage: 'French', customPrompts: [] });
  });

  it('reads preferences stored with the old fixed attempt count: the client now retries until the deadline unless bounded', () => {
    const old = readPreferences({ maxConcurrency: 4, maxAttempts: 4 });
    expect(old).toMatchObject({ maxConcurrency: 4, attemptLimit: 0 });
    expect(old).not.toHaveProperty('maxAttempts');
    expect(clientOptions(old)).toEqual({ maxConcurrency: 4, maxAttempts: Number.POSITIVE_INFINITY });
    expect(clientOptions(readPreferences({ attemptLimit: 2 }))).toMatchObject({ maxAttempts: 2 });
  });

  it('refuses invalid or unknown fields on save', () => {
    expect(preferencesPatch.safeParse({ maxConcurrency: 0 }).success).toBe(false);
    expect(preferencesPatch.safeParse({ apiKey: 'sk-x' }).success).toBe(false);
    expect(preferencesPatch.parse({ outputLanguage: ' 简体中文 ' })).toEqual({ outputLanguage: '简体中文' });
  });

  it('fills the selection into a custom prompt without letting it add placeholders', () => {
    expect(withSelection('Explain: {{selection}} (from {{title}})', 'x {{page}} y')).toBe('Explain: x { {page}} y (from {{title}})');
  });
});
