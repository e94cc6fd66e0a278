// What a team's administrator fixed: Chrome enterprise policy (`3rdparty.extensions.<id>`) or
// Firefox `policies.json` `3rdparty`, which the browser hands us as storage.managed. An unmanaged
// browser has none, and every field is optional. The schema the browser checks it against is
// public/managed_schema.json; this one decides what we accept, field by field, so one bad value
// does not void the rest.
import { z } from 'zod';

const fields = {
  /** The provider preset (`openai`, `azure`, `custom`, …). */
  presetId: z.string().trim().min(1).max(40),
  baseUrl: z.url({ protocol: /^https?$/ }).max(2048),
  /** The models users may pick; the first is the default. */
  models: z.array(z.string().trim().min(1).max(200)).min(1).max(100),
  /** Extra headers for the team's gateway, sent with every request, never shown to users. */
  headers: z.record(z.string().min(1).max(100), z.string().max(2000)),
  /** How long a cached summary is kept, in days (0: not kept). */
  cacheRetentionDays: z.number().min(0).max(365),
  /** false: users cannot point Precis at another endpoint than the administrator's. */
  allowCustomEndpoints: z.boolean(),
  /** false: no offline or on-device summaries without the team's provider. */
  allowNoKeyFeatures: z.boolean(),
  /** Shown next to every locked field ("Set by Example Corp IT"). */
  reason: z.string().trim().min(1).max(300),
};

export type ManagedPolicy = Partial<{ [K in keyof typeof fields]: z.infer<(typeof fields)[K]> }>;

export function readPolicy(raw: unknown): ManagedPolicy {
  if (typeof raw !== 'object' || raw === null) return {};
  const policy: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(fields)) {
    const parsed = schema.safeParse((raw as Record<string, unknown>)[key]);
    if (parsed.success) policy[key] = parsed.data;
  }
  return policy as ManagedPolicy;
}

/** The provider fields the form may not change, and why: what Options shows. */
export interface Locks {
  fields: LockedField[];
  reason: string;
  /** The models to choose from, when the administrator listed them. */
  models?: string[];
}
export type LockedField = 'presetId' | 'baseUrl' | 'model' | 'headers' | 'cacheRetention';

export function locksOf(policy: ManagedPolicy): Locks | undefined {
  const locked: LockedField[] = [];
  if (policy.presetId !== undefined) locked.push('presetId');
  if (policy.baseUrl !== undefined || policy.allowCustomEndpoints === false) locked.push('baseUrl');
  if (policy.models?.length === 1) locked.push('model');
  if (policy.headers !== undefined) locked.push('headers');
  if (policy.cacheRetentionDays !== undefined) locked.push('cacheRetention');
  if (!locked.length && !policy.models) return undefined;
  return { fields: locked, reason: policy.reason ?? 'Set by your administrator.', ...(policy.models && { models: policy.models }) };
}
