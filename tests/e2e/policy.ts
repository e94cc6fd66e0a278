// Managed policy for the e2e build: Chromium on Linux reads /etc/chromium/policies/managed/*.json at
// start (tests run as root). Extension policy sits under `3rdparty.extensions.<id>`: the e2e build's
// fixed manifest key (wxt.config.ts) gives it this id.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const e2eExtensionId = 'lemkimjlaiammefjbofjaehdljgalfnc';
const dir = '/etc/chromium/policies/managed';
const file = join(dir, `precis-e2e-${process.pid}.json`);

/** Writes the policy before a launch; the returned function removes it. Names only our id. */
export async function installPolicy(policy: Record<string, unknown>): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  await writeFile(file, JSON.stringify({ '3rdparty': { extensions: { [e2eExtensionId]: policy } } }));
  return () => rm(file, { force: true });
}
