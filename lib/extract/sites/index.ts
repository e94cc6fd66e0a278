// Site-aware reading: the busiest discussion and reference sites, whose structure the generic path
// (Readability or the structural walk) flattens or cuts. Chosen by host name; a reader that does
// not recognise the page (a listing, a profile, a settings page) returns null and the generic path
// reads it.
import { readGitHub } from './github';
import { readHackerNews } from './hackernews';
import { readReddit } from './reddit';
import { readStackExchange } from './stackoverflow';
import type { SiteReading } from './thread';
import { readWikipedia } from './wikipedia';
import { readX } from './x';

export type { SiteReading } from './thread';

type SiteReader = (doc: Document, url: string) => SiteReading | null;

const stackExchangeHosts = /^(?:stackoverflow\.com|[a-z]+\.stackoverflow\.com|serverfault\.com|superuser\.com|askubuntu\.com|mathoverflow\.net|(?:[a-z0-9-]+\.)?stackexchange\.com)$/;

/** The reader for a page's host, if it has one. */
export function siteReaderFor(url: string): SiteReader | undefined {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  if (host === 'news.ycombinator.com') return readHackerNews;
  if (host === 'reddit.com' || host.endsWith('.reddit.com')) return readReddit;
  if (host === 'github.com') return readGitHub;
  if (stackExchangeHosts.test(host)) return readStackExchange;
  if (host === 'x.com' || host === 'twitter.com' || host === 'mobile.twitter.com' || host === 'mobile.x.com') return readX;
  if (host.endsWith('.wikipedia.org')) return readWikipedia;
  return undefined;
}

/** The page read by its site's reader, or null (no reader for the host, or not a page it knows). */
export function readSite(doc: Document, url: string): SiteReading | null {
  const reader = siteReaderFor(url);
  if (!reader) return null;
  const reading = reader(doc, url);
  // Nothing worth sending: the generic path may still find something.
  return reading && reading.text.replace(/^# .*$/m, '').trim().length > 0 ? reading : null;
}
