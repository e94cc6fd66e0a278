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
 * The serious and critical axe violations on `page`, open shadow roots included (the sidebar's).
 * Evaluated over the DevTools protocol, so an extension page's CSP does not block the script.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // axe works out background colours only inside <body>, and the sidebar's host is a child of
    // <html>: for the check it moves into <body>, where it looks the same (it is in the top layer).
    const hosts = [...document.documentElement.children].filter((el) => el !== document.head && el !== document.body);
    const move = (parent: HTMLElement) =>
      hosts.forEach((host) => {
        const open = [...(host.shadowRoot ?? host).querySelectorAll<HTMLElement>(':popover-open')];
        parent.append(host);
        open.forEach((el) => el.showPopover());
      });
    move(document.body);
    try {
      return (await axe.run(document, { resultTypes: ['violations'] })).violations;
    } finally {
      move(document.documentElement);
    }
  });
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
