// axe-core in the page under test: any surface (popup, options, the sidebar in a page, a welcome
// page) is checked by calling `expectNoSeriousViolations(page)`.
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from './fixtures';

declare const axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> };

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

const axeSource = readFileSync(resolve('node_modules/axe-core/axe.min.js'), 'utf8');

/**
 * The serious and critical axe violations on `page` and in each of its frames (the sidebar is one),
 * open shadow roots included. Evaluated over the DevTools protocol, so an extension page's CSP does
 * not block the script.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const violations: AxeViolation[] = [];
  for (const frame of page.frames()) {
    if (!(await frame.evaluate(() => 'axe' in window))) await frame.evaluate(axeSource);
    // Each frame in its own right: axe cannot enter another origin's frame from its parent.
    violations.push(...(await frame.evaluate(async () => (await axe.run(document, { resultTypes: ['violations'], iframes: false })).violations)));
  }
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(n.target)}: ${n.failureSummary ?? ''}`));
}

/** Checks `page` in the light and the dark theme, as the user's system may ask for either. */
export async function expectNoSeriousViolations(page: Page) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await seriousViolations(page), `${colorScheme} theme`).toEqual([]);
  }
}
