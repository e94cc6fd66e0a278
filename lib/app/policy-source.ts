// Where the core gets the administrator's policy from. Chrome answers storage.managed only once its
// policy service is up, 2–8 s after the browser starts (measured here: 2.5–4.5 s; reported by
// other extensions, e.g. ghostery/ghostery-extension#3367), so a read that waits stalls the first
// summary after every browser start. The last policy read is kept in storage.local and used until
// a read in this worker has answered; from then on every read is live (fast once the service is
// up, and it follows policy changes). A profile that has never read one waits for it: a team's
// policy must hold from the first request.
import type { KeyValueArea } from './ports';
import { readPolicy, type ManagedPolicy } from './policy';

export const lastPolicyKey = 'lastManagedPolicy';

export function createPolicySource(read: (() => Promise<unknown>) | undefined, local: KeyValueArea): () => Promise<ManagedPolicy> {
  if (!read) return async () => ({});
  let answered = false;
  let lastStored: string | undefined;
  const live = () =>
    read()
      .catch(() => undefined)
      .then(async (raw) => {
        answered = true;
        const stored = JSON.stringify(raw ?? {});
        if (stored !== lastStored) {
          lastStored = stored;
          await local.set(lastPolicyKey, raw ?? {});
        }
        return readPolicy(raw);
      });
  return async () => {
    const fresh = live();
    if (answered) return fresh;
    // The cached copy is checked field by field like a live one: storage.local is ours, but not sealed.
    const cached = await local.get(lastPolicyKey);
    return cached === undefined ? fresh : readPolicy(cached);
  };
}
