// Paces requests to the rate the server admits, learned from what it does: which requests it
// admitted and which it refused (429), over time, as congestion control estimates a bottleneck.
// Each limit (requests, and tokens counted before sending) is mirrored as a token bucket whose
// refill rate is an estimate. Headers, in whatever dialect, are hints and bounds: a full window
// description (limit, remaining, reset) gives the rate outright; `remaining` alone resyncs the
// mirror; a 429's wait tells when capacity returns, to the millisecond or only rounded up.
//
// The estimator: whenever the bucket is seen empty (a 429, or `remaining: 0`), the units the
// server admitted since the previous time it was seen empty are exactly what it refilled
// meanwhile, so rate = admitted units / time between. With a millisecond wait, "empty" is pinned
// to when the next unit arrives and short spans suffice; with whole seconds or nothing at all, to
// when the refused request was sent, over longer spans. Spans older than the horizon are
// forgotten, so a limit that changes mid-run is followed.

import { rateBounds, type Bounds, type Verdict } from './rate-bounds';
import type { LimitReport, ServerWait, WindowReport } from './retry-hints';

export type WindowName = 'requests' | 'tokens';

export type SentState = 'pending' | 'admitted' | 'refused';

/** A request the pacer let go; its outcome is reported back through `Pacer.admitted/refused`. */
export interface Sent {
  readonly seq: number;
  readonly at: number;
  /** Units per window: one request, and its tokens. */
  readonly units: Readonly<Record<WindowName, number>>;
  state: SentState;
  /** The window a refusal was for: the other took nothing, and says nothing of its rate. */
  refusedFor?: WindowName;
}

/**
 * Where the bucket was seen empty: by `time`, the window had refilled everything taken before
 * request `seq` plus `extra`. That sum is read once every earlier request has its verdict: one
 * still in flight may yet be refused, and a refused one took nothing.
 */
interface Observation {
  time: number;
  seq: number;
  extra: number;
  exact: boolean;
  value?: number;
}

/** Told by limit and reset headers; measured from `remaining` alone; learned from 429s; guessed. */
type RateSource = 'headers' | 'remaining' | 'learned' | 'guess';

/** How far back empty-bucket observations count: a longer span is steadier, a shorter one follows a changing limit. */
const HORIZON_MS = 5_000;
/** The shortest span an estimate is made over: exact times need little, send times need more to average jitter out. */
const MIN_SPAN_EXACT_MS = 150;
const MIN_SPAN_ROUGH_MS = 600;
/**
 * The first guess, at the first refusal: this share of what was admitted just before. That
 * includes the bucket's burst, so it errs high, and a guess too high is a wave of 429s; one too
 * low costs nothing until the bucket refills to its brim (0.6 drew 1–2 more 429s per run than
 * this in the simulated sweep, for no time saved).
 */
const GUESS_SHARE = 0.45;
/** ...over at least this long: a refusal in the first round trip follows a burst, not the rate. */
const GUESS_MIN_SPAN_MS = 500;
/** A request sent at the guessed pace was refused: slow down by this much. */
const GUESS_BACKOFF = 0.8;
/** While guessing with no refusal to bound the rate from above, probes raise the pace by e^(this per ms). */
const GUESS_RAMP_PER_MS = 1 / 1_000;
/**
 * ...but never past this multiple of what the server has admitted on average since the bucket was
 * last seen empty. Paced under the rate, the bucket keeps what we did not take, and the refusal
 * that ends the ramp comes only once that is spent: by then an unchecked ramp ran far above the
 * rate, and the round trip before we hear of it sent a second wave of 429s.
 */
const GUESS_RAMP_MAX_OVER_ADMITTED = 1.7;
/** Inside the bounds the verdicts set (rate-bounds.ts), pace this far up from the lower one: the middle (0.3 left the bucket to fill at high latency). */
const GUESS_SPLIT = 0.5;
const MAX_ANCHORS = 20;
/** Refusals older than this bound nothing: the key's other clients may have come or gone since. */
const ANCHOR_MEMORY_MS = 2_000;
/** One refusal cuts a guessed pace by at most this factor. */
const GUESS_MAX_CUT = 0.7;
/**
 * Pacing below the true rate gives no 429 to learn from, so while requests wait on the pace it is
 * raised: each round trip while the rate is only a guess (the tokens that pile up meanwhile are
 * not lost, the bucket was empty), every second once learned (the limit may have risen, or other
 * clients of the key left: at 2 s, three clients sharing a silent key took ×1.4–1.7 of the minimum).
 */
const PROBE_LEARNED_EVERY_MS = 1_000;
const PROBE_LEARNED_GAIN = 1.1;
/**
 * A wait in whole seconds (or an HTTP date) this short may be mostly rounding: with no rate to go
 * on, the guess decides. A longer one is a real wait (a window that resets in a minute) and holds.
 */
const ROUNDED_WAIT_MS = 1_500;
/** How much later than the mirror's moment a request is sent (ms, and a share of one unit's interval). */
const GUARD_MS = 3;
const GUARD_SHARE = 0.02;
/**
 * Headers describe the key's budget, which other clients (another browser, a teammate on the same
 * gateway key) may spend too. Spending seen in `remaining` beyond our own, over at least this long
 * and this many units (rounding moves `remaining` by one at each end), is theirs: we pace at what
 * the key refills less what they take, and claim only our share of what is left.
 */
const FOREIGN_MIN_SPAN_MS = 500;
/** Others come and go: their spending is what it was lately. */
const FOREIGN_HORIZON_MS = 2_000;
const FOREIGN_MIN_UNITS = 3;
/** Others' spending under this share of the rate is noise in the rate read from headers. */
const FOREIGN_MIN_SHARE = 0.1;
const SHARED_SLACK = 0.1;
const MAX_REPORTS = 200;
/** Refill seen in `remaining` before it is taken for the rate. */
const REFILL_MIN_UNITS = 3;
/** How much each earlier answer's description of the window still counts at the next. */
const TOLD_DECAY = 0.8;
/** Before any answer has come back. */
const DEFAULT_RTT_MS = 250;
/** Without any rate yet, the admitted throughput over this window before the first refusal is the first guess. */
const GUESS_WINDOW_MS = 1_000;
/**
 * Told what is left but not how fast it refills (Azure's `remaining` alone), a window at its brim
 * is credited this much faster than it has been admitting. At exactly that rate the pace held
 * itself: a full window's refill cannot be read, so it never rose (×1.18–1.20 of the minimum at
 * 150–175 ms, simulated). Too fast shows in `remaining` as soon as the window drains.
 */
const ADMITTING_GAIN = 1.3;

class Bucket {
  /** Units per ms; undefined until headers tell or the estimator learns it. */
  rate: number | undefined;
  private source: RateSource | undefined;
  private capacity = Number.POSITIVE_INFINITY;
  /** The mirror: units available at `at` (negative: promised to requests already sent). Undefined: never limited, open. */
  private level: number | undefined;
  private at = 0;
  /** The newest send the mirror was synced from; older news does not overwrite it. */
  private syncedSeq = 0;
  private observations: Observation[] = [];
  private unsettled: Observation[] = [];
  /** The window's description summed over answers (decaying): refill owed, and the time it takes. */
  private told = { units: 0, ms: 0 };
  private lastSignalAt = Number.NEGATIVE_INFINITY;
  private lastProbeAt = Number.NEGATIVE_INFINITY;
  /** Probes of a learned rate since the bucket was last seen empty. */
  private quietProbes = 0;
  /** When the guessed pace was last set: a refusal of a request sent at it says it is too fast. */
  private guessedAt = Number.POSITIVE_INFINITY;
  /** While guessing: recent refusals, each the start of spans that bound the rate (rate-bounds.ts). */
  private anchors: Sent[] = [];
  private bounds: Bounds = { lo: 0, hi: Number.POSITIVE_INFINITY };
  /** The newest refusal, however old: the ramp stays within reach of what was admitted since. */
  private lastRefused: Sent | undefined;
  private rampCeiling = Number.POSITIVE_INFINITY;
  /** The latest answer said what was left of this window. */
  private described = false;
  /** Answers that said what was left, in send order, to compare each with the next. */
  private reports: { seq: number; at: number; remaining: number }[] = [];
  /** Units the window gained between two reports beyond what we took: its refill, when no header tells the rate. */
  private refills: { at: number; spanMs: number; units: number }[] = [];
  /** The same over every span compared since the first answer, full window or not: a floor under the refill (refill lost at the brim only lowers it). */
  private regained = { units: 0, ms: 0 };
  /** Units per ms the mirror credits as refill while no rate is known (`creditRate`). */
  private credited = 0;
  /** The most a report ever said was left: a report within a unit of it finds the window at its brim. */
  private highestRemaining = 0;
  /** The most the window ever held when a request arrived (what was left after it, plus what it took): a floor under its size. */
  private highestHeld = 0;
  /** Units the window lost between two reports beyond what we sent: other clients of the same key. */
  private foreign: { at: number; spanMs: number; units: number }[] = [];

  constructor(
    private readonly name: WindowName,
    private readonly rttMs: () => number,
  ) {}

  private levelAt(t: number): number {
    const level = this.level ?? Number.POSITIVE_INFINITY;
    if (this.rate === undefined && t < this.at) return 0;
    // Not yet knowing the rate, a window that says what is left refills as `creditRate` reckons.
    return Math.min(this.size(), level + (t - this.at) * (this.pace() ?? this.credited));
  }

  /**
   * The window's size: told by `limit`, or else at least what it was ever seen to hold. A mirror
   * credited with refill it cannot hold sent a whole round trip's refill into a window already
   * full (Azure, whose answers say only what is left).
   */
  private size(): number {
    return Number.isFinite(this.capacity) || this.highestHeld === 0 ? this.capacity : this.highestHeld;
  }

  /** Our refill rate: the window's, less what other clients of the key take from it. */
  pace(): number | undefined {
    return this.rate === undefined ? undefined : this.rate * this.share();
  }

  /** Our share of the window: 1 unless other clients of the same key are seen spending it. */
  private share(): number {
    if (this.rate === undefined || this.source !== 'headers') return 1;
    const span = this.foreign.reduce((sum, x) => sum + x.spanMs, 0);
    const units = this.foreign.reduce((sum, x) => sum + x.units, 0);
    if (span < FOREIGN_MIN_SPAN_MS || units < FOREIGN_MIN_UNITS) return 1;
    const theirs = units / span / this.rate;
    // Clients that each pace at exactly their share fill the window to the brim, and their jitter
    // then spills as 429s: leave slack in proportion to what the others take.
    return theirs < FOREIGN_MIN_SHARE ? 1 : Math.max(FOREIGN_MIN_SHARE, 1 - (1 + SHARED_SLACK) * theirs);
  }

  /** When `units` fit (epoch ms), or 0 if now. */
  readyAt(now: number, units: number): number {
    if (this.level === undefined) return 0;
    const need = Math.min(units, this.size());
    const level = this.levelAt(now);
    if (level >= need) return 0;
    // The server named the moment capacity returns: that moment, no guard.
    if (now < this.at && this.level >= need) return this.at;
    if (this.rate === undefined) {
      // Told when capacity returns but not how fast it refills: from then on, let the server say.
      if (now < this.at) return this.at;
      // Told what is left (`remaining` alone) but not yet how fast it refills: at the credited rate
      // (levelAt); without one, wait for an answer's word.
      // At least a ms ahead: a shortfall of a rounding error's size vanishes in `now + …` and the
      // caller, told to wait until now, asked again at once, forever (a simulated run hung there).
      return Math.max(now + 1, this.credited > 0 ? Math.ceil(now + (need - level) / this.credited) : this.at + this.rttMs());
    }
    this.probe(now);
    const pace = this.pace() ?? this.rate;
    // A little after the mirror's moment: the request reaches the server later than it leaves
    // here, and a rate read from rounded headers may be a hair fast. It shifts the phase, not the pace.
    const guard = GUARD_MS + GUARD_SHARE / pace;
    return Math.max(now + 1, Math.ceil(now + (need - this.levelAt(now)) / pace + guard));
  }

  take(now: number, units: number): void {
    if (this.level === undefined) return;
    if (now >= this.at) {
      this.level = this.levelAt(now) - units;
      this.at = now;
    } else {
      this.level -= units;
    }
  }

  /** The server admitted `sent`; `report` is what its headers said of this window. */
  admitted(sent: Sent, report: WindowReport, log: Ledger, now: number): void {
    const { remaining, limit, resetMs } = report;
    // A server that stopped describing the window (a gateway in front changed?): what it said is now only a guess to probe from.
    if (remaining === undefined && limit === undefined) {
      if (this.source === 'headers' || this.source === 'remaining') this.source = 'learned';
      this.described = false;
    }
    if (limit !== undefined) this.capacity = limit;
    if (remaining !== undefined && limit !== undefined && resetMs !== undefined && resetMs > 0 && remaining < limit) {
      // `remaining` is rounded down, so limit − remaining overstates what the reset refills by up
      // to one unit: take the middle. That half unit is all of a one-unit deficit, so answers
      // count by the size of theirs: the rate is a decaying sum of deficits over one of resets.
      if (this.source !== 'headers') this.told = { units: 0, ms: 0 };
      this.told.units = TOLD_DECAY * this.told.units + (limit - remaining - 0.5);
      this.told.ms = TOLD_DECAY * this.told.ms + resetMs;
      this.rate = this.told.units / this.told.ms;
      this.source = 'headers';
    }
    if (remaining !== undefined) this.report(sent, remaining);
    if (remaining === undefined) return;
    if (this.rate === undefined) this.credited = this.creditRate(sent, remaining, log);
    if (sent.seq < this.syncedSeq) return;
    this.syncedSeq = sent.seq;
    this.lastSignalAt = now;
    // What the server had left after this request (our share of it, on a shared key), replayed
    // through what was sent after it, refilling in between up to the window's size. (Capping the
    // refill once and then taking out every later send counted refill a full window had no room
    // for: ×1.16–1.29 of the minimum at a burst of 5 and 186 ms, simulated.)
    const rate = this.pace() ?? this.credited;
    let told = remaining * this.share();
    let t = sent.at;
    for (const x of log.sentAfter(sent)) {
      told = Math.min(this.size(), told + (x.at - t) * rate) - x.units[this.name];
      t = x.at;
    }
    told = Math.min(this.size(), told + (now - t) * rate);
    // `remaining` is rounded down: a mirror within one unit of it agrees and keeps its fraction
    // (overwriting it each time would add the guard to every interval).
    const agrees = this.level !== undefined && now >= this.at && Math.abs(this.levelAt(now) - told) < 1;
    if (!agrees) {
      this.level = told;
      this.at = now;
    }
    if (remaining < Math.max(1, sent.units[this.name])) {
      this.observe({ time: sent.at, seq: sent.seq, extra: sent.units[this.name] + remaining, exact: false }, log, sent, now);
    }
  }

  /**
   * Consecutive reports of what was left, compared once every request in between has its verdict
   * (a refused one took nothing). With the rate told, what the window lost beyond our own sends,
   * net of its refill, was spent by someone else. Without it, what it gained beyond what we took
   * back is its refill: the rate, learned without a single 429. Sums telescope: rounding errs by
   * a unit at each end, however many answers lie between.
   */
  compareReports(log: Ledger): void {
    for (;;) {
      const [prev, next] = this.reports;
      if (prev === undefined || next === undefined || log.pendingBetween(prev.seq, next.seq)) return;
      this.reports.shift();
      const spanMs = next.at - prev.at;
      if (spanMs <= 0) continue;
      const ours = log.unitsBetween(prev.seq, next.seq, this.name);
      this.regained = { units: this.regained.units + next.remaining - prev.remaining + ours, ms: this.regained.ms + spanMs };
      if (this.source === 'headers' && this.rate !== undefined) {
        const expected = Math.min(this.capacity, prev.remaining + spanMs * this.rate) - ours;
        this.foreign.push({ at: next.at, spanMs, units: expected - next.remaining });
        this.foreign = this.foreign.filter((x) => next.at - x.at <= FOREIGN_HORIZON_MS);
      } else if (this.source !== 'learned' && Math.max(prev.remaining, next.remaining) + 1 < this.highestRemaining) {
        // (A rate learned from spans between 429s is exact to a unit over the span; this one, read
        // from rounded `remaining`, ran 5% fast and drew a 429 every few hundred ms: it yields.)
        // Both below the most it ever had left: the window was not full, nothing it refilled went to waste.
        this.refills.push({ at: next.at, spanMs, units: next.remaining - prev.remaining + ours });
        this.refills = this.refills.filter((x) => next.at - x.at <= HORIZON_MS);
        const refill = this.refilled();
        if (refill.ms >= MIN_SPAN_ROUGH_MS && refill.units >= REFILL_MIN_UNITS) {
          this.rate = refill.units / refill.ms;
          this.source = 'remaining';
        }
      }
    }
  }

  /**
   * How fast the mirror credits refill to a window that says what is left but not how fast it
   * refills (Azure), until a rate is learned:
   * - what it regained while below its brim, once that spans 150 ms: its refill, read directly;
   * - at its brim, faster than it has been admitting (`ADMITTING_GAIN`), so the pace rises until the
   *   window drains and its refill can be read;
   * - draining but not yet read, what it regained since the first answer, less a unit for rounding:
   *   a floor. (What it admitted instead includes the burst it started with: 10–37 429s a run.)
   * At least a unit per round trip, or with nothing in flight no answer would ever raise the mirror.
   */
  private creditRate(sent: Sent, remaining: number, log: Ledger): number {
    const refill = this.refilled();
    if (refill.ms >= MIN_SPAN_EXACT_MS && refill.units > 0) return refill.units / refill.ms;
    if (remaining + 1 >= this.highestRemaining) {
      const span = Math.max(this.rttMs(), sent.at - log.firstSentWithin(sent, GUESS_WINDOW_MS));
      return (ADMITTING_GAIN * log.recentlyAdmitted(sent, this.name, GUESS_WINDOW_MS)) / span;
    }
    const floor = this.regained.ms > 0 ? (this.regained.units - 1) / this.regained.ms : 0;
    return Math.max(1 / this.rttMs(), floor);
  }

  /** What the window regained beyond our own sends, summed over the spans compared lately. */
  private refilled(): { units: number; ms: number } {
    return this.refills.reduce((sum, x) => ({ units: sum.units + x.units, ms: sum.ms + x.spanMs }), { units: 0, ms: 0 });
  }

  private report(sent: Sent, remaining: number): void {
    this.described = true;
    this.highestRemaining = Math.max(this.highestRemaining, remaining);
    this.highestHeld = Math.max(this.highestHeld, remaining + sent.units[this.name]);
    // Behind a report already compared: too late to place.
    if (sent.seq < (this.reports[0]?.seq ?? 0)) return;
    this.reports.push({ seq: sent.seq, at: sent.at, remaining });
    this.reports.sort((a, b) => a.seq - b.seq);
    // Unread while the rate is not the headers' (nothing to compare against): keep the newest.
    if (this.reports.length > MAX_REPORTS) this.reports.shift();
  }

  /** The server refused `sent` for want of this window; `wait` is what it said, if anything. */
  refused(sent: Sent, wait: ServerWait | undefined, log: Ledger, now: number): void {
    const need = Math.min(sent.units[this.name], this.capacity);
    const exact = wait?.exact === true;
    if (this.lastRefused === undefined || sent.seq > this.lastRefused.seq) this.lastRefused = sent;
    // Known before this refusal added its guess: a rate learned or told outranks a rounded wait.
    const trusted = this.source === 'learned' || this.source === 'headers' || this.source === 'remaining';
    if (exact) {
      // At `sent.at + wait` the bucket holds exactly what this request needs.
      this.observe({ time: sent.at + wait.ms, seq: sent.seq, extra: need, exact: true }, log, sent, now);
    } else {
      this.observe({ time: sent.at, seq: sent.seq, extra: need / 2, exact: false }, log, sent, now);
    }
    this.lastSignalAt = now;
    if (sent.seq < this.syncedSeq) return;
    this.syncedSeq = sent.seq;
    const later = log.unitsAfter(sent, this.name);
    if (exact) {
      this.at = sent.at + wait.ms;
      this.level = need - later;
    } else if (this.rate !== undefined && (trusted || (wait?.ms ?? 0) <= ROUNDED_WAIT_MS)) {
      this.at = sent.at;
      this.level = need / 2 - later;
      // A rounded-up wait still bounds when capacity returns.
      if (wait !== undefined && this.readyAt(sent.at, need) > sent.at + wait.ms) {
        this.at = sent.at + wait.ms;
        this.level = need - later;
      }
    } else {
      this.at = sent.at + (wait?.ms ?? 0);
      this.level = need - later;
    }
  }

  private observe(o: Observation, log: Ledger, sent: Sent, now: number): void {
    this.quietProbes = 0;
    this.unsettled.push(o);
    this.settleObservations(log, now);
    if (this.source === 'guess' || this.rate === undefined) {
      this.anchors.push(sent);
      this.anchors = this.anchors.slice(-MAX_ANCHORS);
    }
    if (this.source === 'guess' && this.rate !== undefined && sent.at >= this.guessedAt) {
      // Still guessing, and a request sent at this pace was refused: it is too fast.
      this.rate *= GUESS_BACKOFF;
      this.guessedAt = now;
      this.lastProbeAt = now;
    }
    // A window that says what is left is followed by that, not by a guess: a guessed 8/s held a
    // 30/s Azure window there (its answers only resync the mirror, they do not move a guess).
    if (this.rate === undefined && !this.described) {
      // No span yet: guess from what got through just before (at least one per round trip, or
      // everyone held by the same refusal would go at once), until the next refusal corrects it.
      const admitted = log.recentlyAdmitted(sent, this.name, GUESS_WINDOW_MS);
      // Over the time it took, not a whole window: the first refusal may come well within a second of the first request.
      const span = Math.max(GUESS_MIN_SPAN_MS, this.rttMs(), sent.at - log.firstSentWithin(sent, GUESS_WINDOW_MS));
      this.rate = Math.max((GUESS_SHARE * admitted) / span, this.name === 'requests' ? 1 / this.rttMs() : 0);
      this.source = 'guess';
      this.guessedAt = now;
      this.lastProbeAt = now;
      if (this.rate <= 0) this.rate = undefined;
    }
    this.fitGuess(log, now);
  }

  /** While guessing, pace inside what the verdicts since recent refusals allow, towards the top. */
  fitGuess(log: Ledger, now: number): void {
    // Old refusals bound a rate that may have changed (other clients of the key come and go).
    this.anchors = this.anchors.filter((a) => now - a.at <= ANCHOR_MEMORY_MS);
    // A server that says what is left (Azure) is followed by that, not by bounds.
    if (this.source !== 'guess' || this.rate === undefined || this.described) return;
    const verdicts = (from: number) => log.verdictsAfter(from, this.name);
    const anchors = (list: Sent[]) => list.map((a) => ({ seq: a.seq, at: a.at, units: a.units[this.name], refused: true }));
    // What the server admitted on average since it was last seen empty (the ledger must still hold all of it).
    const last = this.lastRefused;
    const admitted = last !== undefined && now - last.at <= HORIZON_MS ? rateBounds(anchors([last]), verdicts(last.seq)).lo : 0;
    this.rampCeiling = admitted > 0 ? GUESS_RAMP_MAX_OVER_ADMITTED * admitted : Number.POSITIVE_INFINITY;
    if (this.anchors.length === 0) {
      this.bounds = { lo: 0, hi: Number.POSITIVE_INFINITY };
      return;
    }
    let b = rateBounds(anchors(this.anchors), verdicts(this.anchors[0]!.seq));
    if (b.lo >= b.hi) {
      // The bucket filled up in between (we paced well under its rate): only the newest refusal holds.
      this.anchors = this.anchors.slice(-1);
      b = rateBounds(anchors(this.anchors), verdicts(this.anchors[0]!.seq));
    }
    this.bounds = b;
    // Proven too fast: inside the bounds. Otherwise never under what it has admitted; probes raise it.
    // A cut goes no deeper than a backoff: on a shared key our bounds shrink as others take what we
    // leave, and following them all the way down would hand them the whole key.
    const target = this.rate >= b.hi ? Math.max(b.lo + GUESS_SPLIT * (b.hi - b.lo), this.rate * GUESS_MAX_CUT) : Math.max(this.rate, b.lo);
    if (target === this.rate || !(target > 0)) return;
    if (now >= this.at && this.level !== undefined) {
      this.level = this.levelAt(now);
      this.at = now;
    }
    this.rate = target;
  }

  /** Observations whose earlier requests all have their verdict get their value; a new one may give a rate. */
  settleObservations(log: Ledger, now: number): void {
    const ready = this.unsettled.filter((o) => !log.pendingBefore(o.seq));
    if (ready.length === 0) return;
    this.unsettled = this.unsettled.filter((o) => !ready.includes(o));
    for (const o of ready) this.observations.push({ ...o, value: log.consumedBeforeSeq(o.seq, this.name) + o.extra });
    this.observations.sort((a, b) => a.time - b.time);
    const newest = this.observations[this.observations.length - 1];
    if (newest === undefined) return;
    this.observations = this.observations.filter((x) => newest.time - x.time <= HORIZON_MS);
    if (this.source === 'headers') return;
    // The freshest span long enough to trust: a limit that just dropped shows at once.
    for (const old of [...this.observations].reverse()) {
      const span = newest.time - old.time;
      if (span < (old.exact && newest.exact ? MIN_SPAN_EXACT_MS : MIN_SPAN_ROUGH_MS)) continue;
      const rate = ((newest.value ?? 0) - (old.value ?? 0)) / span;
      if (rate > 0) {
        this.rate = rate;
        this.source = 'learned';
        this.anchors = [];
        this.lastProbeAt = now;
        return;
      }
    }
  }

  /** A rate learned before a worker restart: a starting point the estimator and probes refine; headers override it. */
  restore(rate: number): void {
    if (this.rate !== undefined) return;
    this.rate = rate;
    this.source = 'learned';
  }

  private probe(now: number): void {
    // A window that says what is left needs no probe: pacing under its rate shows as `remaining`
    // climbing, and the mirror takes that at the next answer; each probe was a 429.
    if (this.rate === undefined || this.described) return;
    const guess = this.source === 'guess';
    // Quiet probes come sooner as well as bigger: the capacity others left is taken back in a second or two.
    const every = guess ? this.rttMs() : Math.max(this.rttMs(), PROBE_LEARNED_EVERY_MS / 2 ** Math.min(this.quietProbes, 1));
    if (now - this.lastSignalAt < every || now - this.lastProbeAt < every) return;
    const since = Math.max(this.lastProbeAt, this.lastSignalAt);
    this.lastProbeAt = now;
    // Re-anchor first so the raise applies from now on, not retroactively.
    this.level = this.levelAt(now);
    this.at = now;
    // Probes that draw no refusal raise by more each time: a rate learned while others took most
    // of the window (they have since left) climbs back in a few probes, not dozens.
    if (guess) {
      // A slow ramp: the bucket was empty at the last refusal, so the next one comes when our
      // average since then passes its rate, and a gentle slope is then only a little above it.
      // Bounded above, the verdicts move the pace; unbounded, a ramp finds a refusal to bound it.
      const { lo, hi } = this.bounds;
      // One round trip's raise at most: time spent held by a long wait is no evidence of a faster rate.
      const ramped = this.rate * Math.exp(GUESS_RAMP_PER_MS * Math.min(now - since, 2 * this.rttMs()));
      this.rate = Math.max(this.rate, Math.min(ramped, lo + GUESS_SPLIT * (hi - lo), this.rampCeiling));
    } else {
      this.rate *= 1 + (PROBE_LEARNED_GAIN - 1) * 2 ** Math.min(this.quietProbes, 4);
    }
    if (!guess) this.quietProbes += 1;
    if (guess) this.guessedAt = now;
  }

}

/** Every request sent lately and what became of it: the counts the estimator and the mirror need. */
class Ledger {
  private log: Sent[] = [];
  /** What requests dropped from the log had taken, so counts stay cumulative. */
  private readonly dropped: Record<WindowName, number> = { requests: 0, tokens: 0 };

  add(sent: Sent): void {
    this.log.push(sent);
  }

  /** Units sent after `sent` and not refused: they took their share after the server described it. */
  unitsAfter(sent: Sent, name: WindowName): number {
    return this.log.filter((x) => x.seq > sent.seq && x.state !== 'refused').reduce((sum, x) => sum + x.units[name], 0);
  }

  /** Requests sent after `sent` and not refused, in send order. */
  sentAfter(sent: Sent): Sent[] {
    return this.log.filter((x) => x.seq > sent.seq && x.state !== 'refused');
  }

  /** Units of requests after `from` up to and including `to` (by send order), refused ones left out. */
  unitsBetween(from: number, to: number, name: WindowName): number {
    return this.log.filter((x) => x.seq > from && x.seq <= to && x.state !== 'refused').reduce((sum, x) => sum + x.units[name], 0);
  }

  /** Whether a request after `from` up to `to` (by send order) still waits for its verdict. */
  pendingBetween(from: number, to: number): boolean {
    return this.log.some((x) => x.seq > from && x.seq <= to && x.state === 'pending');
  }

  /** Whether a request sent before `seq` still waits for its verdict. */
  pendingBefore(seq: number): boolean {
    return this.log.some((x) => x.seq < seq && x.state === 'pending');
  }

  /** Units the server took before the request `seq` arrived, since the start; pending requests count as taken. */
  consumedBeforeSeq(seq: number, name: WindowName): number {
    return this.dropped[name] + this.log.filter((x) => x.seq < seq && x.state !== 'refused').reduce((sum, x) => sum + x.units[name], 0);
  }

  /** Units admitted among requests sent within `windowMs` before `sent`. */
  recentlyAdmitted(sent: Sent, name: WindowName, windowMs: number): number {
    return this.log
      .filter((x) => x.seq < sent.seq && x.state !== 'refused' && x.at >= sent.at - windowMs)
      .reduce((sum, x) => sum + x.units[name], 0);
  }

  /** What became of each request after `seq`, in send order (requests refused for another window left out). */
  verdictsAfter(seq: number, name: WindowName): (Verdict | 'pending')[] {
    const out: (Verdict | 'pending')[] = [];
    for (const x of this.log) {
      if (x.seq <= seq) continue;
      if (x.state === 'pending') out.push('pending');
      else if (x.state === 'admitted' || x.refusedFor === name) out.push({ seq: x.seq, at: x.at, units: x.units[name], refused: x.state === 'refused' });
    }
    return out;
  }

  /** When the earliest request sent within `windowMs` before `sent` went. */
  firstSentWithin(sent: Sent, windowMs: number): number {
    return this.log.find((x) => x.at >= sent.at - windowMs)?.at ?? sent.at - windowMs;
  }

  prune(now: number, keepMs: number): void {
    const keep = (x: Sent) => x.state === 'pending' || now - x.at <= keepMs;
    if (this.log.every(keep)) return;
    for (const x of this.log) {
      if (keep(x) || x.state === 'refused') continue;
      this.dropped.requests += x.units.requests;
      this.dropped.tokens += x.units.tokens;
    }
    this.log = this.log.filter(keep);
  }
}

export interface PacerView {
  /** Learned or told, in units per second; undefined while unknown. */
  requestsPerSec: number | undefined;
  tokensPerSec: number | undefined;
}

/** The client-side mirror of the server's request and token buckets. */
export class Pacer {
  private rtt = DEFAULT_RTT_MS;
  private readonly buckets: Record<WindowName, Bucket> = {
    requests: new Bucket('requests', () => this.rtt),
    tokens: new Bucket('tokens', () => this.rtt),
  };
  private readonly ledger = new Ledger();
  private seq = 0;

  /** When a request of `tokens` may go (epoch ms), or 0 if now. */
  readyAt(now: number, tokens: number): number {
    return Math.max(this.buckets.requests.readyAt(now, 1), this.buckets.tokens.readyAt(now, tokens));
  }

  /** The request goes now. */
  take(now: number, tokens: number): Sent {
    this.buckets.requests.take(now, 1);
    this.buckets.tokens.take(now, tokens);
    this.seq += 1;
    const sent: Sent = { seq: this.seq, at: now, units: { requests: 1, tokens }, state: 'pending' };
    this.ledger.add(sent);
    return sent;
  }

  admitted(sent: Sent, report: LimitReport | undefined, now: number): void {
    sent.state = 'admitted';
    this.heard(sent, now);
    if (report !== undefined) {
      this.buckets.requests.admitted(sent, report.requests, this.ledger, now);
      this.buckets.tokens.admitted(sent, report.tokens, this.ledger, now);
    }
    this.compareReports(now);
    this.ledger.prune(now, 2 * HORIZON_MS);
  }

  refused(sent: Sent, window: WindowName, wait: ServerWait | undefined, now: number): void {
    sent.state = 'refused';
    sent.refusedFor = window;
    this.heard(sent, now);
    this.buckets[window].refused(sent, wait, this.ledger, now);
    this.compareReports(now);
    this.ledger.prune(now, 2 * HORIZON_MS);
  }

  /** Ended without a word from the rate limiter (cancelled, cut): the server may have counted it, so it stays counted. */
  settled(sent: Sent, now: number): void {
    if (sent.state === 'pending') sent.state = 'admitted';
    this.compareReports(now);
    this.ledger.prune(now, 2 * HORIZON_MS);
  }

  private compareReports(now: number): void {
    for (const b of [this.buckets.requests, this.buckets.tokens]) {
      b.compareReports(this.ledger);
      b.settleObservations(this.ledger, now);
      b.fitGuess(this.ledger, now);
    }
  }

  /** Round trips to the first byte: how soon a raised pace shows its effect. */
  private heard(sent: Sent, now: number): void {
    this.rtt = 0.8 * this.rtt + 0.2 * Math.max(1, now - sent.at);
  }

  /** Rates from a snapshot (units per second): a restarted worker does not relearn from scratch. */
  restore(view: Partial<PacerView>): void {
    if (view.requestsPerSec) this.buckets.requests.restore(view.requestsPerSec / 1_000);
    if (view.tokensPerSec) this.buckets.tokens.restore(view.tokensPerSec / 1_000);
  }

  view(): PacerView {
    const perSec = (b: Bucket) => {
      const pace = b.pace();
      return pace === undefined ? undefined : pace * 1_000;
    };
    return { requestsPerSec: perSec(this.buckets.requests), tokensPerSec: perSec(this.buckets.tokens) };
  }
}
