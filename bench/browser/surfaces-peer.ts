// Peers for bench/surfaces.bench.ts, run in a plain page's main world (bundled by the browser
// harness's `bundleEntry`): the same mock stream read by a bare page script, rendered three ways.
//
// - `floor`: fetch + stream + `textContent`, nothing else: the least any UI can add to the time to
//   first token, and the least scripting any UI can spend on a long stream.
// - `naive`: what a simple sidebar does, re-rendering the whole answer as Markdown (Precis's own
//   `renderMarkdown`: the same marked + DOMPurify configuration) into one element, once per frame.
// - `naive-delta`: the same, on every delta instead of once per frame.
//
// And `markdownRenderCost`: what one render of the sidebar's own `<Markdown>` costs as the answer grows.

import { createElement } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { splitBlocks } from '../../components/markdown/blocks';
import { Markdown } from '../../components/markdown/Markdown';
import { renderMarkdown } from '../../components/markdown/render';

export type PeerMode = 'floor' | 'naive' | 'naive-delta';

export interface PeerStream {
  /** Epoch ms (`performance.timeOrigin + performance.now()`) at which answer text was first in the DOM. */
  firstTextAt: number;
  /** The start of the rendering step of the first frame that shows it (see watchFirstText in the benchmark). */
  onScreenAt: number;
  doneAt: number;
  deltas: number;
  renders: number;
  chars: number;
  /** The stream was cut at `capMs` (the naive renderer can take minutes on a long answer). */
  capped: boolean;
}

const now = () => performance.timeOrigin + performance.now();

export async function stream(url: string, body: unknown, mode: PeerMode, capMs = 60_000): Promise<PeerStream> {
  const out = document.createElement('div');
  out.className = 'answer';
  document.body.append(out);
  const started = performance.now();
  let firstTextAt = 0;
  let onScreen: Promise<number> | undefined;
  let text = '';
  let deltas = 0;
  let renders = 0;
  let frame = 0;
  // `frameStart`: called from an animation-frame callback that started then (so painted in that frame).
  const render = (frameStart?: number) => {
    frame = 0;
    renders++;
    if (mode === 'floor') out.textContent = text;
    else out.innerHTML = renderMarkdown(text);
    if (!firstTextAt && text !== '') {
      firstTextAt = now();
      performance.mark('bench:first');
      onScreen = frameStart !== undefined ? Promise.resolve(frameStart) : new Promise((resolve) => requestAnimationFrame(() => resolve(now())));
    }
  };
  const renderInFrame = () => render(now());
  const controller = new AbortController();
  // text/plain keeps it a simple request (no preflight); the mock parses the body as JSON anyway.
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'text/plain' }, signal: controller.signal });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let capped = false;
  for (;;) {
    if (capped || performance.now() - started > capMs) {
      capped = true;
      controller.abort();
      break;
    }
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0 && !capped) {
      // A renderer that falls behind gets many events per read: the cap must hold inside too.
      if (performance.now() - started > capMs) {
        capped = true;
        controller.abort();
        break;
      }
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!event.startsWith('data: ') || event === 'data: [DONE]') continue;
      const piece = JSON.parse(event.slice(6))?.choices?.[0]?.delta?.content;
      if (typeof piece !== 'string' || piece === '') continue;
      text += piece;
      deltas++;
      // The floor writes the first piece at once: the least a UI could add to the first token.
      if (mode === 'naive-delta' || (mode === 'floor' && !firstTextAt)) render();
      else frame ||= requestAnimationFrame(renderInFrame);
    }
  }
  if (frame) {
    cancelAnimationFrame(frame);
    render();
  }
  return { firstTextAt, onScreenAt: onScreen ? await onScreen : 0, doneAt: now(), deltas, renders, chars: text.length, capped };
}

export interface RenderCost {
  chars: number;
  blocks: number;
  /** One render of Precis's `<Markdown>` after a few more characters arrived, committed synchronously (p50). */
  renderMs: number;
  /** `splitBlocks` of the whole text alone, part of each render (p50). */
  splitMs: number;
}

/**
 * What one sidebar render costs once the answer is `lengths[i]` characters long: mounts Precis's
 * `<Markdown>` with a prefix of `text`, then grows it `steps` times by `stepChars` characters, each
 * render committed with `flushSync` (scripting only: style and layout come later, in the frame).
 */
export function markdownRenderCost(text: string, lengths: number[], steps = 40, stepChars = 5): RenderCost[] {
  const out: RenderCost[] = [];
  const host = document.createElement('div');
  document.body.append(host);
  const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length / 2) - 1]!;
  // The first length again, first, and not reported: the JIT warms up on it.
  for (const [i, length] of [lengths[0]!, ...lengths].entries()) {
    const root = createRoot(host);
    const start = Math.max(0, length - steps * stepChars);
    flushSync(() => root.render(createElement(Markdown, { text: text.slice(0, start) })));
    const renders: number[] = [];
    const splits: number[] = [];
    for (let k = 1; k <= steps; k++) {
      const t = text.slice(0, start + k * stepChars);
      const t0 = performance.now();
      flushSync(() => root.render(createElement(Markdown, { text: t })));
      renders.push(performance.now() - t0);
      const t1 = performance.now();
      splitBlocks(t);
      splits.push(performance.now() - t1);
    }
    if (i > 0) out.push({ chars: length, blocks: splitBlocks(text.slice(0, length)).length, renderMs: p50(renders), splitMs: p50(splits) });
    root.unmount();
  }
  host.remove();
  return out;
}

/**
 * The first `renderMarkdown` call in a freshly loaded script (as in a content script injected
 * into a new page) against the next ones: marked and DOMPurify compile and set up on first use.
 */
export function firstRenderCost(sample: string): { coldMs: number; warmMs: number } {
  const t0 = performance.now();
  renderMarkdown(sample);
  const t1 = performance.now();
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    renderMarkdown(`${sample} ${i}`);
    warm.push(performance.now() - t);
  }
  return { coldMs: t1 - t0, warmMs: warm.sort((a, b) => a - b)[2]! };
}
