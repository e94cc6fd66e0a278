// What a server that names no limit has still told us about its refill rate: a refused request
// found the bucket short of what it needed, an admitted one found enough. Between a refusal at
// t_i and a later request at t_j, the bucket refilled r·(t_j − t_i) and gave out U (what was
// admitted in between), so each later verdict bounds r from one side:
//   refused at t_j:  r < (U + need_j) / Δt   and   r > (U − need_i) / Δt
//   admitted at t_j: r > (U + need_j − need_i) / Δt
// Every answer tightens the interval; pacing inside it and moving towards its top finds the rate
// in a few refusals rather than a wave per guess. Assumes the bucket did not fill to its brim in
// between (we were pacing at or near its rate); a contradiction (lo ≥ hi) says it did.

export interface Verdict {
  readonly seq: number;
  /** When it was sent (the server counts it on arrival, a moment later). */
  readonly at: number;
  readonly units: number;
  readonly refused: boolean;
}

export interface Bounds {
  lo: number;
  hi: number;
}

/** Arrival jitter allowed for, in ms: a short span's bound must not hinge on when exactly the server saw it. */
const SLACK_MS = 10;

/**
 * Bounds (units per ms) from each refusal in `anchors` and the verdicts after it (in send order,
 * up to the first without a verdict).
 */
export function rateBounds(anchors: readonly Verdict[], verdicts: readonly (Verdict | 'pending')[]): Bounds {
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  for (const a of anchors) {
    let between = 0;
    for (const v of verdicts) {
      if (v === 'pending') break;
      if (v.seq <= a.seq) continue;
      const dt = v.at - a.at;
      if (v.refused) {
        if (dt > SLACK_MS) hi = Math.min(hi, (between + v.units) / (dt - SLACK_MS));
        lo = Math.max(lo, (between - a.units) / (dt + SLACK_MS));
      } else {
        lo = Math.max(lo, (between + v.units - a.units) / (dt + SLACK_MS));
        between += v.units;
      }
    }
  }
  return { lo, hi };
}
