// The marker a view shows on a replayed answer ("cached · 3 h ago"), from the result's `cached.at`.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function cachedAgeLabel(atMs: number, nowMs: number): string {
  const age = Math.max(0, nowMs - atMs);
  if (age < MINUTE) return 'cached · just now';
  if (age < HOUR) return `cached · ${Math.floor(age / MINUTE)} min ago`;
  if (age < DAY) return `cached · ${Math.floor(age / HOUR)} h ago`;
  return `cached · ${Math.floor(age / DAY)} d ago`;
}
