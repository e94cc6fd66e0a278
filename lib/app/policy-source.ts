// Where the core gets the administrator's policy from. Chrome answers storage.managed only once its
// policy service is up, 2–8 s after the browser starts (measured here: 2.5–4.5 s; reported by
// other extensions, e.g. ghostery/ghostery-extension#3367), so a read that waits stalls the first
// summary after every browser start. The last policy read is kept in storage.local and used until
// a read in this worker has answered; from then on every read is live (fast once the service is
// up, and it follows policy changes). A profile that has never read one waits for it, for a while:
// a team's policy must hold from the first request. But in some fresh profiles Chrome (156) never
// answers at all (seen here in 3 of 4, no answer in 100 s, a second read no better), and waiting
// for ever left the menu unbuilt and every request hung; after `policyPatienceMs` such a profile is taken
// as unmanaged until a read does answer.
import type { KeyValueArea } from './ports';
import { readPolicy, type ManagedPolicy } from './policy';

export const lastPolicyKey = 'lastManagedPolicy';
/** Longer than the slowest start we have measured or seen reported (8 s). */
export const policyPatienceMs = 10_000;

export function createPolicySource(read: (() => Promise<unknown>) | undefined, local: KeyValueArea): () => Promise<ManagedPolicy> {
  if (!read) return async () => ({});
  let answered = false;
  let lastStored: string | undefined;
  // One read in flight: a service that is slow to answer is not asked again by every caller.
  let inFlight: Promise<ManagedPolicy> | undefined;
  let patience: Promise<ManagedPolicy> | undefined;
  const live = () =>
    (inFlight ??= read()
      .catch(() => undefined)
      .then(async (raw) => {
        answered = true;
        inFlight = undefined;
        const stored = JSON.stringify(raw ?? {});
        if (stored !== lastStored) {
          lastStored = stored;
          await local.set(lastPolicyKey, raw ?? {});
        }
        return readPolicy(raw);
      }));
  return async () => {
    const fresh = live();
    if (answered) return fresh;
    // The cached copy is checked field by field like a live one: storage.local is ours, but not sealed.
    const cached = await local.get(lastPolicyKey);
    if (cached !== undefined) return readPolicy(cached);
    // Waited once, in this worker, for all callers: after that, unmanaged until an answer comes.
    patience ??= new Promise((resolve) => setTimeout(() => resolve({}), policyPatienceMs));
    return Promise.race([fresh, patience]);
  };
}
