// Local model servers and the Origin header.
//
// A fetch from the extension's worker carries `Origin: chrome-extension://<id>` (Firefox:
// `moz-extension://<uuid>`). Ollama checks the Origin against OLLAMA_ORIGINS, whose default admits
// localhost web pages and a few desktop-app schemes but no extension, and answers 403 with an empty
// body. Rather than ask every user to edit their server's environment, the background registers one
// declarativeNetRequest rule that rewrites the Origin of the extension's own requests to the
// configured local server, and nothing else.
//
// Why this rule shape:
// - `initiatorDomains: [extension host]` limits it to requests the extension itself makes (a web
//   page calling the same local server keeps its own Origin and meets the server's own checks).
//   The host is the id in Chrome and the per-install UUID in Firefox, i.e. the hostname of
//   `runtime.getURL('')`. Both browsers match worker/event-page fetches this way (w3c/webextensions#369).
// - `resourceTypes: ['xmlhttprequest']`: fetch() from the worker is an xmlhttprequest to DNR in
//   Chrome and Firefox (no document, no tab). `tabIds: [-1]` would be the other way to say "not
//   from a tab", but Chrome only accepts tabIds in session rules, and a dynamic rule survives
//   browser restarts and worker stops, which a session rule does not.
// - `urlFilter: '|<origin>/'`: anchored at the start of the URL, so only that scheme, host and port.
// - Loopback servers get `Origin` set to their own origin, which Ollama admits by default
//   (`http://localhost:*`, `http://127.0.0.1:*`…). A server elsewhere on the LAN would not admit its
//   own origin (not in the default list), so there the header is removed: a request without an
//   Origin is not a CORS request, the way curl talks to it.
// Needs the `declarativeNetRequestWithHostAccess` permission (no install warning) and the host
// permission for the server, which the Options page requests when the user saves the base URL.

/** The subset of chrome.declarativeNetRequest.Rule this module builds (structurally compatible). */
export interface OriginRewriteRule {
  id: number;
  priority: number;
  action: {
    type: 'modifyHeaders';
    requestHeaders: { header: 'origin'; operation: 'set' | 'remove'; value?: string }[];
  };
  condition: {
    urlFilter: string;
    resourceTypes: 'xmlhttprequest'[];
    initiatorDomains?: string[];
  };
}

/** A rule id of our own, clear of anything else the extension may register. */
export const LOCAL_ORIGIN_RULE_ID = 8_110;

function parse(url: string): URL | undefined {
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function ipv4(host: string): number[] | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return undefined;
  const octets = parts.map(Number);
  return octets.every((o) => o <= 255) ? octets : undefined;
}

/** 127.0.0.0/8, ::1, localhost and *.localhost: this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '0.0.0.0') return true;
  const v4 = ipv4(host) ?? ipv4(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host)?.[1] ?? '');
  return v4 !== undefined && v4[0] === 127;
}

/**
 * Whether the base URL points at this machine or the local network: loopback, mDNS `.local`
 * names, private IPv4 ranges (10/8, 172.16/12, 192.168/16), link-local, CGNAT (100.64/10, where
 * Tailscale lives) and IPv6 unique-local (fc00::/7) and link-local (fe80::/10) addresses.
 */
export function isLocalBaseUrl(url: string): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  const host = parsed.hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (isLoopbackHost(host)) return true;
  if (host.endsWith('.local') || host.endsWith('.lan') || host.endsWith('.home.arpa') || host.endsWith('.internal')) return true;
  if (!host.includes('.') && !host.includes(':')) return true; // a bare intranet name: `http://gpu-box:11434`
  const v4 = ipv4(host) ?? ipv4(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host)?.[1] ?? '');
  if (v4) {
    const [a = 0, b = 0] = v4;
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  if (host.includes(':')) return /^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host);
  return false;
}

/**
 * The dynamic rule that rewrites the Origin of the extension's requests to `baseUrl`'s server, or
 * undefined when the base URL is not local (remote APIs get the real Origin).
 * `extensionHost`: the hostname of `runtime.getURL('')`.
 */
export function localOriginRule(baseUrl: string, extensionHost: string | undefined, ruleId: number = LOCAL_ORIGIN_RULE_ID): OriginRewriteRule | undefined {
  const parsed = parse(baseUrl);
  if (!parsed || !isLocalBaseUrl(baseUrl)) return undefined;
  const origin = parsed.origin;
  const loopback = isLoopbackHost(parsed.hostname);
  const rule: OriginRewriteRule = {
    id: ruleId,
    priority: 1,
    action: {
      type: 'modifyHeaders',
      requestHeaders: [loopback ? { header: 'origin', operation: 'set', value: origin } : { header: 'origin', operation: 'remove' }],
    },
    condition: { urlFilter: `|${origin}/`, resourceTypes: ['xmlhttprequest'] },
  };
  const host = extensionHost?.trim();
  if (host) rule.condition.initiatorDomains = [host];
  return rule;
}

/**
 * The argument for `declarativeNetRequest.updateDynamicRules`: replaces our rule with the one for
 * the current base URL, or just removes it when the provider is not local. Atomic, idempotent.
 */
export function localOriginRuleUpdate(
  baseUrl: string,
  extensionHost: string | undefined,
  ruleId: number = LOCAL_ORIGIN_RULE_ID,
): { removeRuleIds: number[]; addRules: OriginRewriteRule[] } {
  const rule = localOriginRule(baseUrl, extensionHost, ruleId);
  return { removeRuleIds: [ruleId], addRules: rule ? [rule] : [] };
}

/**
 * Whether a failed response looks like a server refusing the extension's Origin (Ollama's empty
 * 403; "origin not allowed", "CORS" texts from other servers) rather than refusing the key, so the
 * UI can point at OLLAMA_ORIGINS instead of the key. A JSON error body is a provider talking about
 * the request (a region block, a key without access), not an origin check.
 */
export function looksLikeOriginRejection(status: number | undefined, body: string | undefined): boolean {
  if (status !== 403) return false;
  const text = (body ?? '').trim();
  if (text === '') return true;
  if (/^[[{]/.test(text)) return /\b(origin|cors)\b/i.test(text) && !/api[ _-]?key|token|permission_error|insufficient/i.test(text);
  return /^(403\s*)?forbidden\.?$/i.test(text) || /\b(origin|cors)\b/i.test(text);
}
