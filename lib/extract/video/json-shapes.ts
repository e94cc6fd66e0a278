// Reading YouTube's JSON defensively: any field may be missing or of another type, and a missing
// one means "none". The objects we want sit at depths that change between page versions, so they
// are found by key wherever they are.

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const array = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** YouTube's text: `{simpleText}` or `{runs: [{text}]}`. */
export function textOf(v: unknown): string {
  if (!isObject(v)) return '';
  if (typeof v.simpleText === 'string') return v.simpleText;
  return array(v.runs)
    .map((r) => (isObject(r) && typeof r.text === 'string' ? r.text : ''))
    .join('');
}

/** Every object found under `key` in `root`, in document order (not looking inside a match). */
export function objectsUnder(root: unknown, key: string, maxDepth = 60): Json[] {
  const found: Json[] = [];
  const walk = (node: unknown, depth: number) => {
    if (depth > maxDepth) return;
    if (Array.isArray(node)) return node.forEach((n) => walk(n, depth + 1));
    if (!isObject(node)) return;
    const match = node[key];
    if (isObject(match)) return void found.push(match);
    for (const v of Object.values(node)) walk(v, depth + 1);
  };
  walk(root, 0);
  return found;
}
