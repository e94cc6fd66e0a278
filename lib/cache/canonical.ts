// One spelling per value, so equal requests hash equally whatever order their keys were built in.
// The output is JSON (keys sorted by UTF-16 code unit, as RFC 8785 does), which makes it injective
// for plain data: parsing it back gives the value it came from, so two different values can never
// share an encoding. Anything JSON cannot say faithfully is refused rather than silently merged.

export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      // Well-formed JSON.stringify escapes lone surrogates, so distinct strings stay distinct.
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
      // ECMAScript's shortest round-trip form; -0 becomes 0, which is also what the server would see.
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        return `[${value.map((item) => {
          if (item === undefined) throw new TypeError('canonicalJson: undefined inside an array');
          return canonicalJson(item);
        }).join(',')}]`;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError('canonicalJson: only plain objects and arrays can be encoded');
      }
      const record = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const item = record[key];
        // An absent field and an undefined one mean the same request.
        if (item === undefined) continue;
        parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
  }
}
