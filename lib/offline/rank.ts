// Sentence scoring by centrality in a TF-IDF space, and a redundancy-aware pick.
//
// Why centroid rather than TextRank: LexRank's degree centrality (a sentence's summed cosine
// similarity to every other sentence) is, for unit vectors, the dot product of the sentence with
// the sum of all of them: Σj cos(i, j) = uᵢ · Σj uⱼ. So building that sum once and taking one dot
// product per sentence gives the same ranking as the all-pairs graph, in time linear in the text
// instead of quadratic in the sentences: a 100,000-character page has a thousand or more
// sentences, so a million pairwise similarities against one more pass over its words. We stop at
// degree and skip TextRank's eigenvector iteration, which re-weights each neighbour by its own
// centrality: in Erkan and Radev's LexRank experiments plain degree scored close to it, and on a
// single page the difference is smaller than what the position and length priors change.

/** Term ids in ascending order, with their weights; unit length once built. */
export interface SparseVector {
  ids: Int32Array;
  weights: Float64Array;
}

export interface TermSpace {
  /** How many distinct terms the page has: the length of a dense vector in this space. */
  size: number;
  /** One unit vector per sentence, in input order; empty for a sentence with no terms. */
  vectors: SparseVector[];
  /** A unit vector for other text (the title) in the same space; terms the page never uses count for nothing. */
  embed(terms: readonly string[]): SparseVector;
}

/**
 * Each sentence is one "document" for IDF. log(1 + N/df) rather than log(N/df): a page's topic words
 * are in most of its sentences, and must not weigh nothing for it.
 */
export function buildTermSpace(sentences: readonly (readonly string[])[]): TermSpace {
  const ids = new Map<string, number>();
  const idOf = (term: string) => {
    let id = ids.get(term);
    if (id === undefined) {
      id = ids.size;
      ids.set(term, id);
    }
    return id;
  };
  // Ids go through one scratch buffer, sorted there, so that equal terms sit together: counting
  // them then needs no map per sentence, and the only allocation per sentence is its vector.
  let scratch = new Int32Array(64);
  const sortedIds = (terms: readonly string[], lookup: (t: string) => number | undefined): Int32Array => {
    if (terms.length > scratch.length) scratch = new Int32Array(terms.length * 2);
    let n = 0;
    for (const term of terms) {
      const id = lookup(term);
      if (id !== undefined) scratch[n++] = id;
    }
    return scratch.subarray(0, n).sort();
  };
  const counted = sentences.map((terms) => toRuns(sortedIds(terms, idOf)));
  const df = new Float64Array(ids.size);
  for (const runs of counted) for (const id of runs.ids) df[id] = (df[id] ?? 0) + 1;
  const idf = df.map((d) => Math.log(1 + sentences.length / d));
  const weigh = (runs: SparseVector): SparseVector => {
    let norm = 0;
    for (let k = 0; k < runs.ids.length; k++) {
      const w = (1 + Math.log(runs.weights[k] ?? 1)) * (idf[runs.ids[k] ?? 0] ?? 0);
      runs.weights[k] = w;
      norm += w * w;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < runs.weights.length; k++) runs.weights[k] = (runs.weights[k] ?? 0) * scale;
    return runs;
  };
  return {
    size: ids.size,
    vectors: counted.map(weigh),
    embed(terms) {
      return weigh(toRuns(sortedIds(terms, (t) => ids.get(t))));
    },
  };
}

/** Sorted ids → each distinct id with how often it occurs (the weights hold counts until weighed). */
function toRuns(sorted: Int32Array): SparseVector {
  let distinct = 0;
  for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) distinct++;
  const runs: SparseVector = { ids: new Int32Array(distinct), weights: new Float64Array(distinct) };
  let d = -1;
  for (let k = 0; k < sorted.length; k++) {
    if (k === 0 || sorted[k] !== sorted[k - 1]) {
      d++;
      runs.ids[d] = sorted[k] ?? 0;
    }
    runs.weights[d] = (runs.weights[d] ?? 0) + 1;
  }
  return runs;
}

export function cosine(a: SparseVector, b: SparseVector): number {
  let dot = 0;
  let i = 0;
  let j = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i] ?? 0;
    const y = b.ids[j] ?? 0;
    if (x === y) dot += (a.weights[i++] ?? 0) * (b.weights[j++] ?? 0);
    else if (x < y) i++;
    else j++;
  }
  return dot;
}

/** uᵢ · dense, for a dense vector indexed by term id. */
function dotDense(v: SparseVector, dense: Float64Array): number {
  let dot = 0;
  for (let k = 0; k < v.ids.length; k++) dot += (v.weights[k] ?? 0) * (dense[v.ids[k] ?? 0] ?? 0);
  return dot;
}

/** Mean cosine similarity of each sentence to all the others (degree centrality, see above). */
export function centrality(space: Pick<TermSpace, 'size' | 'vectors'>): number[] {
  const { vectors } = space;
  if (vectors.length < 2) return vectors.map((v) => (v.ids.length ? 1 : 0));
  const sum = new Float64Array(space.size);
  for (const v of vectors) {
    for (let k = 0; k < v.ids.length; k++) {
      const id = v.ids[k] ?? 0;
      sum[id] = (sum[id] ?? 0) + (v.weights[k] ?? 0);
    }
  }
  return vectors.map((v) => {
    if (v.ids.length === 0) return 0;
    // Remove the sentence's similarity to itself, which is 1 for every sentence with terms.
    return Math.max(0, (dotDense(v, sum) - 1) / (vectors.length - 1));
  });
}

export interface PickOptions {
  /** Indices already chosen: what later picks must differ from. */
  chosen: readonly number[];
  /** How many more to pick, at most. */
  count: number;
  /** Indices allowed; all when absent. */
  eligible?: (index: number) => boolean;
  /** Weight of score against novelty (maximal marginal relevance); 1 ignores redundancy. */
  lambda?: number;
  /** Similarity at or above which a sentence counts as a repeat and is never picked. */
  duplicate?: number;
}

/**
 * Maximal marginal relevance (Carbonell & Goldstein): each pick maximises λ·score − (1−λ)·(its
 * greatest similarity to anything picked so far). Scores are taken as given, so they should be on
 * a 0–1 scale. Ties go to the earlier sentence, so the same page always gives the same picks.
 */
export function pickDiverse(scores: readonly number[], space: Pick<TermSpace, 'size' | 'vectors'>, opts: PickOptions): number[] {
  const { vectors } = space;
  const lambda = opts.lambda ?? 0.7;
  const duplicate = opts.duplicate ?? 0.7;
  const taken = new Set(opts.chosen);
  const candidates = scores.map((_, i) => i).filter((i) => !taken.has(i) && (!opts.eligible || opts.eligible(i)));
  const nearest = new Float64Array(scores.length);
  const dense = new Float64Array(space.size);
  // Scattered once per pick, so each candidate's similarity to it is one pass over the candidate.
  const note = (picked: number) => {
    const pv = vectors[picked];
    if (!pv) return;
    for (let k = 0; k < pv.ids.length; k++) dense[pv.ids[k] ?? 0] = pv.weights[k] ?? 0;
    for (const i of candidates) {
      const v = vectors[i];
      if (taken.has(i) || !v) continue;
      const sim = dotDense(v, dense);
      if (sim > (nearest[i] ?? 0)) nearest[i] = sim;
    }
    for (let k = 0; k < pv.ids.length; k++) dense[pv.ids[k] ?? 0] = 0;
  };
  for (const c of opts.chosen) note(c);
  const picks: number[] = [];
  while (picks.length < opts.count) {
    let best = -1;
    let bestValue = -Infinity;
    for (const i of candidates) {
      if (taken.has(i)) continue;
      const near = nearest[i] ?? 0;
      if (near >= duplicate) continue;
      const value = lambda * (scores[i] ?? 0) - (1 - lambda) * near;
      if (value > bestValue) {
        best = i;
        bestValue = value;
      }
    }
    if (best < 0) break;
    picks.push(best);
    taken.add(best);
    note(best);
  }
  return picks;
}
