// An extractive summary for when there is no model: the page's own most central sentences, in the
// shape of the model's summary (TL;DR, key points, details), instantly and without the network.
import type { PageContent } from '../extract/page-content';
import { splitUnits, unitMark } from '../extract/units';
import { parseBlocks, type Block } from './blocks';
import { factCount } from './details';
import { isFurniture } from './furniture';
import { headingsFor, pageLanguage } from './language';
import { markdownLiteral } from './markdown-literal';
import { buildTermSpace, centrality, cosine, pickDiverse } from './rank';
import { splitSentences } from './sentences';
import { createTokeniser, intlWordSegmenter, unspacedCount, wordCount, type Tokenise, type WordSegmenter } from './tokens';

export interface OfflineSummaryOptions {
  /** Most key points (default 7). Short pages get fewer: about 3 for a few paragraphs. */
  maxPoints?: number;
  /** Language of the page ("en", "zh", "zh-TW"…); by default `page.lang`, checked against the script. */
  language?: string;
  /** Word segmenter for scripts without spaces; null for character bigrams. Default: Intl.Segmenter. */
  segmenter?: WordSegmenter | null;
  /** Cite each sentence's unit (lib/extract/units.ts) after it, as a model's summary does. */
  cite?: boolean;
}

export interface OfflineSummary {
  /** Markdown with the headings an LLM summary has, in the page's language, the page's sentences as literal text; '' when nothing was found. */
  markdown: string;
  /** The single most central sentence. */
  tldr: string;
  /** Further central sentences, in page order, none repeating the TL;DR or each other. */
  points: string[];
  /** Sentences dense in numbers, dates and names that the points left out. */
  details: string[];
  /** The language the headings are in, and the page was read as. */
  language: string;
  offline: true;
}

interface Sentence {
  text: string;
  terms: string[];
  words: number;
  furniture: boolean;
  /** First sentence after a heading: sections tend to open with their point. */
  opensSection: boolean;
  /** The unit it stands in, when units are cited. */
  unit?: number;
}

/**
 * Past this many ideographs we cut Chinese into character pairs instead of words: ICU's dictionary
 * segmentation costs about half a microsecond a character, which would dominate a long page, while
 * bigrams (the standard dictionary-free way to index Chinese) are nearly free and rank one page's
 * sentences against each other well enough. Per page, never mixed: both must share one space.
 */
const segmenterBudget = 30_000;
/** Below this many words a "sentence" is a label or a fragment; above the long limit, a run-on paragraph. */
const shortWords = 8;
const minWords = 3;
const longWords = 45;
const maxWords = 120;

const leftoverMarker = /^(?:[-*+•·▪◦‣>#]+\s+|\(?\d{1,3}[.)]\s+)+/u;

interface ReadPage {
  sentences: Sentence[];
  /** Terms of every heading: with the title, the author's own summary of the page. */
  headingTerms: string[];
}

/**
 * The blocks of `text`, each with the unit it lies in: the text between units (headings, code,
 * table rules) and each unit are parsed apart, which gives the blocks the whole text would.
 */
function* blocksWithUnits(text: string, cite: boolean): Generator<[Block, number | undefined]> {
  if (!cite) {
    for (const block of parseBlocks(text)) yield [block, undefined];
    return;
  }
  let at = 0;
  for (const unit of splitUnits(text)) {
    for (const block of parseBlocks(text.slice(at, unit.start))) yield [block, undefined];
    for (const block of parseBlocks(text.slice(unit.start, unit.end))) yield [block, unit.n];
    at = unit.end;
  }
  for (const block of parseBlocks(text.slice(at))) yield [block, undefined];
}

function readPage(text: string, tokenise: Tokenise, cite: boolean): ReadPage {
  const seen = new Set<string>();
  const sentences: Sentence[] = [];
  const headingTerms: string[] = [];
  let afterHeading = false;
  for (const [block, unit] of blocksWithUnits(text, cite)) {
    if (block.kind === 'heading') {
      headingTerms.push(...tokenise(block.text));
      afterHeading = true;
      continue;
    }
    for (const raw of splitSentences(block.text)) {
      const sentence = raw.replace(leftoverMarker, '');
      // A repeated sentence is page furniture ("Share this article") or a pull quote: once is enough.
      const key = sentence.toLowerCase();
      if (!sentence || seen.has(key)) continue;
      seen.add(key);
      sentences.push({
        text: sentence,
        terms: tokenise(sentence),
        words: wordCount(sentence),
        furniture: isFurniture(sentence),
        opensSection: afterHeading,
        ...(unit !== undefined && { unit }),
      });
      afterHeading = false;
    }
  }
  return { sentences, headingTerms };
}

/** Fragments and run-ons make poor points; mildly, so a short page still has something to say. */
function lengthFactor(words: number): number {
  if (words < minWords) return 0.3;
  if (words < shortWords) return 0.3 + (0.7 * (words - minWords)) / (shortWords - minWords);
  if (words <= longWords) return 1;
  return Math.max(0.5, 1 - (words - longWords) / 90);
}

/** Pages, news above all, tend to state their point first. */
function positionFactor(index: number, opensSection: boolean): number {
  const lead = 1 + 0.15 * Math.max(0, 1 - index / 5);
  return opensSection ? lead * 1.05 : lead;
}

/** Spreading a long array into Math.max overflows the stack. */
function largest(values: readonly number[]): number {
  return values.reduce((a, b) => (b > a ? b : a), 0);
}

/** 3 points for a few paragraphs, growing with the square root of the sentences, up to `max`. */
export function pointCount(sentences: number, max = 7): number {
  const ceiling = Math.max(1, Math.floor(max));
  const wanted = Math.round(1.5 + Math.sqrt(sentences) / 2);
  return Math.min(ceiling, Math.max(3, wanted));
}

/** A picked sentence as the summary shows it, with its unit's citation when there is one. */
const quoted = (s: Sentence | undefined) => (s ? markdownLiteral(s.text) + (s.unit !== undefined ? ` ${unitMark}${s.unit}` : '') : '');

function render(language: string, tldr: string, points: string[], details: string[]): string {
  if (!tldr) return '';
  const h = headingsFor(language);
  const item = (s: string) => `- ${s}`;
  const parts = [`## ${h.tldr}\n${tldr}`];
  if (points.length) parts.push(`## ${h.keyPoints}\n${points.map(item).join('\n')}`);
  if (details.length) parts.push(`## ${h.details}\n${details.map(item).join('\n')}`);
  return parts.join('\n\n');
}

/**
 * Summarises `page` from its own sentences. Never throws: a page without sentences (empty,
 * whitespace, only code or tables) gives an empty summary with markdown ''. The background refuses
 * pages with no letters before it gets here (EmptyPageError), so that case is only a guard.
 */
export function summariseOffline(page: PageContent, opts: OfflineSummaryOptions = {}): OfflineSummary {
  const language = pageLanguage(page.text, page.lang, opts.language);
  const segmenter =
    opts.segmenter !== undefined
      ? opts.segmenter
      : unspacedCount(page.text) <= segmenterBudget
        ? intlWordSegmenter(language)
        : null;
  const tokenise = createTokeniser(segmenter);
  const { sentences, headingTerms } = readPage(page.text, tokenise, opts.cite ?? false);
  const empty: OfflineSummary = { markdown: '', tldr: '', points: [], details: [], language, offline: true };
  if (sentences.length === 0) return empty;

  const space = buildTermSpace(sentences.map((s) => s.terms));
  const central = centrality(space);
  const topCentral = largest(central);
  const relevance = central.map((c) => (topCentral > 0 ? c / topCentral : 0));
  // The title and headings are the author's own summary: closeness to them is worth a little.
  const titleVector = space.embed([...tokenise(page.title), ...headingTerms]);
  const raw = sentences.map((s, i) => {
    const titled = space.vectors[i] ? cosine(space.vectors[i], titleVector) : 0;
    return ((relevance[i] ?? 0) + 0.3 * titled) * positionFactor(i, s.opensSection) * lengthFactor(s.words);
  });
  const topRaw = largest(raw);
  const scores = raw.map((r) => (topRaw > 0 ? r / topRaw : 0));

  // Prefer real sentences; settle for whatever there is on a page of fragments.
  const tiers: ((s: Sentence) => boolean)[] = [
    (s) => !s.furniture && s.terms.length > 0 && s.words >= minWords && s.words <= maxWords,
    (s) => !s.furniture && s.terms.length > 0,
    (s) => s.terms.length > 0,
    () => true,
  ];
  const tier = tiers.find((t) => sentences.some(t)) ?? (() => true);
  const usable = (i: number) => {
    const s = sentences[i];
    return s !== undefined && tier(s);
  };
  const usableCount = sentences.filter(tier).length;

  let tldrIndex = -1;
  for (let i = 0; i < sentences.length; i++) {
    if (usable(i) && (tldrIndex < 0 || (scores[i] ?? 0) > (scores[tldrIndex] ?? 0))) tldrIndex = i;
  }
  const tldr = sentences[tldrIndex]?.text ?? '';

  // A point must share something with the rest of the page: boilerplate shares nothing.
  const onTopic = (i: number) => usable(i) && (scores[i] ?? 0) >= 0.15 && (relevance[i] ?? 0) > 0;
  const pointIndices = pickDiverse(scores, space, {
    chosen: [tldrIndex],
    count: pointCount(usableCount, opts.maxPoints ?? 7),
    eligible: onTopic,
  }).sort((a, b) => a - b);

  // Counted only where a detail could come from: five patterns per sentence add up on a long page.
  const canBeDetail = (i: number) => usable(i) && (relevance[i] ?? 0) >= 0.2 && (sentences[i]?.words ?? 0) >= shortWords;
  const facts = sentences.map((s, i) => (canBeDetail(i) ? factCount(s.text) : 0));
  const detailScores = sentences.map((s, i) => ((facts[i] ?? 0) / Math.sqrt(Math.max(s.words, 1))) * (0.5 + (relevance[i] ?? 0)));
  const topDetail = largest(detailScores);
  const detailIndices = pickDiverse(
    detailScores.map((d) => (topDetail > 0 ? d / topDetail : 0)),
    space,
    {
      chosen: [tldrIndex, ...pointIndices],
      count: pointIndices.length <= 3 ? 2 : 3,
      eligible: (i) => (facts[i] ?? 0) >= 2,
      lambda: 0.8,
    },
  ).sort((a, b) => a - b);

  const points = pointIndices.map((i) => sentences[i]?.text ?? '');
  const details = detailIndices.map((i) => sentences[i]?.text ?? '');
  const shown = (indices: number[]) => indices.map((i) => quoted(sentences[i]));
  return {
    markdown: render(language, quoted(sentences[tldrIndex]), shown(pointIndices), shown(detailIndices)),
    tldr,
    points,
    details,
    language,
    offline: true,
  };
}
