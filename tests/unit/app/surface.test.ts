import { describe, expect, it } from 'vitest';
import { surfaceFor } from '../../../lib/app/surface';

describe('surfaceFor', () => {
  it('sends PDFs and pages without content scripts to the side panel, whatever the preference', () => {
    expect(surfaceFor('https://x.example/paper.pdf', 'sidebar')).toBe('panel');
    expect(surfaceFor('file:///home/me/paper.pdf', 'sidebar')).toBe('panel');
    expect(surfaceFor('chrome://settings/', 'sidebar')).toBe('panel');
    expect(surfaceFor(undefined, 'sidebar')).toBe('panel');
  });

  it('follows the preference for web pages', () => {
    expect(surfaceFor('https://x.example/article', 'sidebar')).toBe('sidebar');
    expect(surfaceFor('https://x.example/article', 'sidepanel')).toBe('panel');
  });
});
