import { afterEach, describe, expect, it } from 'vitest';
import { cachedAge } from '../../../components/cachedAge';
import { setLocale } from '../../../components/i18n';

const t0 = 1_000_000_000;
const minute = 60_000;
const hour = 60 * minute;

afterEach(() => setLocale('en'));

describe('cachedAge', () => {
  it('says how old a replayed answer is', () => {
    expect(cachedAge(t0, t0 + 5_000)).toBe('cached · just now');
    expect(cachedAge(t0, t0 + 12 * minute)).toBe('cached · 12 min ago');
    expect(cachedAge(t0, t0 + 3 * hour + 59 * minute)).toBe('cached · 3 h ago');
    expect(cachedAge(t0, t0 + 50 * hour)).toBe('cached · 2 d ago');
  });

  it('speaks Chinese under zh_CN', () => {
    setLocale('zh_CN');
    expect(cachedAge(t0, t0 + 3 * hour)).toBe('缓存 · 3 小时前');
  });
});
