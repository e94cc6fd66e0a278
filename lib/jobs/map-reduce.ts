// Long pages: notes on every chunk in parallel (map), then notes merged until they fit one request,
// then the final summary streamed from them (reduce). The client does admission control and
// caching; this file only decides what to ask, in what order, and reports progress.
import pLimit from 'p-limit';
import { isAppError } from '../errors';
import { chunkText, fnv1a, packSpans, type CountTokens, type Unit } from '../extract/chunk';
import type { ChatOptions, ChatRequest, ChatResult, ClientStatus } from '../llm/types';

export type ChatFn = (req: ChatRequest, opts?: ChatOptions) => Promise<ChatResult>;

export interface Progress {
  /** `read`: pages of a PDF read so far (before any request). */
  phase: 'read' | 'map' | 'reduce';
  done: number;
  total: number;
}

export interface MapReduceSpec {
  /** Chunk texts, each within the notes request's budget. */
  parts: string[];
  notesRequest(part: string): ChatRequest;
  mergeRequest(notes: string): ChatRequest;
  finalRequest(notes: string): ChatRequest;
  /** Notes tokens that fit in a merge request and in the final request. */
  mergeBudget: number;
  finalBudget: number;
  count: CountTokens;
}

export interface MapReduceIo {
  chat: ChatFn;
  signal?: AbortSignal;
  onDelta?: (text: string) => void;
  onStatus?: (status: ClientStatus) => void;
  onProgress?: (progress: Progress) => void;
  /** Requests in flight at once; the client's admission control is the real limit (default 16). */
  concurrency?: number;
}

export const notesSeparator = '\n\n---\n\n';

/** Past this many merge rounds something is wrong with the notes; the final request gets what fits. */
const maxMergeRounds = 6;

function isContextLengthError(err: unknown): boolean {
  return isAppError(err) && err.kind === 'context_length';
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('Aborted', 'AbortError');
}

/** Aborts when the caller aborts, or when we give up on the job ourselves after a failure. */
function linkedController(outer: AbortSignal | undefined): AbortController {
  const inner = new AbortController();
  if (outer?.aborted) inner.abort(outer.reason);
  else outer?.addEventListener('abort', () => inner.abort(outer.reason), { once: true });
  return inner;
}

const statusRank: Record<ClientStatus['type'], number> = { streaming: 3, connecting: 2, waiting: 1, queued: 0 };

/**
 * Many requests in flight, one status for the user: the most advanced one wins ("streaming" if any
 * request streams), and among waits the soonest retry. Repeats are dropped so the UI does not flicker.
 */
export function statusMerger(onStatus: ((s: ClientStatus) => void) | undefined) {
  const latest = new Map<number, ClientStatus>();
  let lastKey = '';
  const emit = () => {
    let best: ClientStatus | undefined;
    for (const s of latest.values()) {
      if (!best || statusRank[s.type] > statusRank[best.type]) best = s;
      else if (s.type === 'waiting' && best.type === 'waiting' && s.until < best.until) best = s;
    }
    if (!best) return;
    const key = best.type === 'waiting' ? `waiting:${best.until}:${best.reason}` : best.type;
    if (key === lastKey) return;
    lastKey = key;
    onStatus?.(best);
  };
  return {
    report(id: number, status: ClientStatus) {
      latest.set(id, status);
      emit();
    },
    finished(id: number) {
      latest.delete(id);
    },
  };
}

/** The start of `text` within `max` tokens, cut at the best boundary available. */
export function truncateToTokens(text: string, max: number, count: CountTokens): string {
  if (count(text) <= max) return text;
  const first = chunkText(text, { budget: Math.max(8, max - 2), count, overlapTokens: 0 })[0];
  return first ? `${first.text}…` : '';
}

/** Groups consecutive notes so each group, joined, fits `budget`. Each note must fit on its own. */
function groupNotes(notes: string[], budget: number, count: CountTokens): string[][] {
  const source = notes.join(notesSeparator);
  const units: Unit[] = [];
  let at = 0;
  for (const note of notes) {
    units.push({ start: at, end: at + note.length, tokens: count(note), heading: 0, hash: fnv1a(note) });
    at += note.length + notesSeparator.length;
  }
  return packSpans(source, units, budget, count).map(({ a, b }) => notes.slice(a, b));
}

export async function runMapReduce(spec: MapReduceSpec, io: MapReduceIo): Promise<string> {
  const controller = linkedController(io.signal);
  const signal = controller.signal;
  const limit = pLimit(Math.max(1, io.concurrency ?? 16));
  const statuses = statusMerger(io.onStatus);
  let requestId = 0;

  const ask = (req: ChatRequest) =>
    limit(async () => {
      if (signal.aborted) throw abortError(signal);
      const id = requestId++;
      try {
        const result = await io.chat(req, { signal, onStatus: (s) => statuses.report(id, s) });
        return result.text.trim();
      } finally {
        statuses.finished(id);
      }
    });

  /** All or nothing: the first failure stops the rest, which would only waste quota. */
  const all = async <T>(tasks: Array<Promise<T>>): Promise<T[]> => {
    try {
      return await Promise.all(tasks);
    } catch (err) {
      controller.abort(err);
      await Promise.allSettled(tasks);
      throw err;
    }
  };

  // A model that counts tokens differently from us can still refuse a chunk as too long: halve
  // it and try again, once.
  const notesFor = async (part: string, retry = true): Promise<string> => {
    try {
      return await ask(spec.notesRequest(part));
    } catch (err) {
      if (!retry || !isContextLengthError(err) || signal.aborted) throw err;
      const halves = chunkText(part, { budget: Math.max(8, Math.ceil(spec.count(part) / 2)), count: spec.count, overlapTokens: 0 });
      const notes = await all(halves.map((h) => notesFor(h.text, false)));
      return notes.join('\n\n');
    }
  };

  if (signal.aborted) throw abortError(signal);
  const total = spec.parts.length;
  let done = 0;
  io.onProgress?.({ phase: 'map', done, total });
  let notes = await all(
    spec.parts.map((part) =>
      notesFor(part).then((text) => {
        done++;
        io.onProgress?.({ phase: 'map', done, total });
        return text;
      }),
    ),
  );
  notes = notes.filter(Boolean);

  for (let round = 0; spec.count(notes.join(notesSeparator)) > spec.finalBudget; round++) {
    if (round >= maxMergeRounds) {
      notes = [truncateToTokens(notes.join(notesSeparator), spec.finalBudget, spec.count)];
      break;
    }
    // A note longer than half a merge request is cut, so every group holds at least two and each
    // round at least halves the count.
    const half = Math.floor(spec.mergeBudget / 2) - 4;
    const fitted = notes.map((n) => truncateToTokens(n, half, spec.count));
    const groups = groupNotes(fitted, spec.mergeBudget, spec.count);
    // A note with no neighbour that fits beside it goes through as it is, without a request.
    const requests = groups.filter((g) => g.length > 1).length;
    let merged = 0;
    io.onProgress?.({ phase: 'reduce', done: 0, total: requests });
    notes = await all(
      groups.map(async (group) => {
        if (group.length === 1) return group[0] ?? '';
        const text = await ask(spec.mergeRequest(group.join(notesSeparator)));
        merged++;
        io.onProgress?.({ phase: 'reduce', done: merged, total: requests });
        return text;
      }),
    );
    notes = notes.filter(Boolean);
  }

  io.onProgress?.({ phase: 'reduce', done: 0, total: 1 });
  const final = await io.chat(spec.finalRequest(notes.join(notesSeparator)), {
    signal,
    ...(io.onDelta ? { onDelta: io.onDelta } : {}),
    ...(io.onStatus ? { onStatus: io.onStatus } : {}),
  });
  io.onProgress?.({ phase: 'reduce', done: 1, total: 1 });
  return final.text;
}
