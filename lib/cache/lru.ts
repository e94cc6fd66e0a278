// The in-memory level: a Map used as a recency list (insertion order is access order), bounded by
// both entry count and bytes, because a few huge answers must not push out hundreds of small ones
// and thousands of tiny ones must not grow the worker's heap without limit.

export interface LruLimits {
  maxEntries: number;
  maxBytes: number;
}

export class MemoryLru<V> {
  private readonly items = new Map<string, { value: V; bytes: number }>();
  private totalBytes = 0;

  constructor(private readonly limits: LruLimits) {}

  get size(): number {
    return this.items.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** Returns the value and marks it most recently used. */
  get(key: string): V | undefined {
    const item = this.items.get(key);
    if (item === undefined) return undefined;
    this.items.delete(key);
    this.items.set(key, item);
    return item.value;
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  /** False when the value alone is larger than the whole budget: it is then not kept at all. */
  set(key: string, value: V, bytes: number): boolean {
    this.delete(key);
    if (bytes > this.limits.maxBytes || this.limits.maxEntries < 1) return false;
    this.items.set(key, { value, bytes });
    this.totalBytes += bytes;
    while (this.items.size > this.limits.maxEntries || this.totalBytes > this.limits.maxBytes) {
      const oldest = this.items.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
    return true;
  }

  delete(key: string): boolean {
    const item = this.items.get(key);
    if (item === undefined) return false;
    this.items.delete(key);
    this.totalBytes -= item.bytes;
    return true;
  }

  /** Drops every entry the predicate picks; returns how many. */
  deleteWhere(pick: (value: V, key: string) => boolean): number {
    let removed = 0;
    for (const [key, item] of this.items) {
      if (pick(item.value, key)) {
        this.items.delete(key);
        this.totalBytes -= item.bytes;
        removed++;
      }
    }
    return removed;
  }

  clear(): void {
    this.items.clear();
    this.totalBytes = 0;
  }
}

/** UTF-8 length without allocating an encoded copy of a possibly 100 kB answer. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
