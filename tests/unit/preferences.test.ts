import { describe, expect, it } from 'vitest';
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

  it('refuses invalid or unknown fields on save', () => {
    expect(preferencesPatch.safeParse({ maxConcurrency: 0 }).success).toBe(false);
    expect(preferencesPatch.safeParse({ apiKey: 'sk-x' }).success).toBe(false);
    expect(preferencesPatch.parse({ outputLanguage: ' 简体中文 ' })).toEqual({ outputLanguage: '简体中文' });
  });

  it('fills the selection into a custom prompt without letting it add placeholders', () => {
    expect(withSelection('Explain: {{selection}} (from {{title}})', 'x {{page}} y')).toBe('Explain: x { {page}} y (from {{title}})');
  });
});
