// The background's doors: who is asking, and whether they may. Every message is parsed against its
// schema, its sender classified, and the sender's right to send it checked, before a handler runs.
import { appErrors, describeError } from '../errors';
import type { PortLike, TabRef } from './ports';
import { audienceOf, parseRequest, type ReplyOf, type Reply, type RequestOf, type RequestType } from './protocol';
import { jobPortPrefix, panelPortPrefix } from './tab-protocol';

/** A message's sender, as the browser describes it. */
export interface RawSender {
  /** The sending extension's id. */
  id?: string;
  /** The sending document's URL. */
  url?: string;
  tab?: TabRef;
}

/** Who is asking: one of our extension pages, our content script in a tab, or anyone else. */
export type Sender = { kind: 'page' } | { kind: 'tab'; tab: TabRef & { id: number } } | { kind: 'stranger' };
export type KnownSender = Exclude<Sender, { kind: 'stranger' }>;

export interface Self {
  /** Our extension id. */
  id: string;
  /** Our pages' origin, `chrome-extension://<id>/` (Firefox: `moz-extension://<uuid>/`). */
  pagesOrigin: string;
}

export function classifySender(sender: RawSender, self: Self): Sender {
  if (sender.id !== self.id) return { kind: 'stranger' };
  // Our page framed inside a web page (the sidebar's frame) acts for that tab, like a content
  // script: any page could frame it. Our pages in a tab of their own (options) are pages.
  const inWebPage = sender.tab !== undefined && !sender.tab.url?.startsWith(self.pagesOrigin);
  if (sender.url?.startsWith(self.pagesOrigin) && !inWebPage) return { kind: 'page' };
  const tabId = sender.tab?.id;
  if (tabId !== undefined) return { kind: 'tab', tab: { ...sender.tab, id: tabId } };
  return { kind: 'stranger' };
}

/** Extension pages may send anything; a content script only what acts on its own tab. */
export function mayAsk(type: RequestType, sender: Sender): boolean {
  if (sender.kind === 'page') return true;
  return sender.kind === 'tab' && audienceOf(type) === 'tab';
}

/** One handler per message type; its return type is the protocol's reply type for that message. */
export type Handlers = { [T in RequestType]: (request: RequestOf<T>, sender: KnownSender) => Promise<ReplyOf<T>> | ReplyOf<T> };

/** Answers one raw message; undefined for a sender that is not ours, which gets no answer at all. */
export async function answer(handlers: Handlers, raw: unknown, sender: Sender): Promise<Reply<unknown> | undefined> {
  if (sender.kind === 'stranger') return undefined;
  try {
    const parsed = parseRequest(raw);
    if (!parsed.ok) throw appErrors.invalidMessage(parsed.problem);
    const request = parsed.request;
    if (!mayAsk(request.type, sender)) throw appErrors.forbidden();
    const handler = handlers[request.type] as (request: unknown, sender: KnownSender) => unknown;
    return { ok: true, value: await handler(request, sender) };
  } catch (err) {
    return { ok: false, error: describeError(err) };
  }
}

/** The tab a side panel's port (`panel:<tabId>`, from one of our pages only) says the panel shows. */
export function panelPortTab(port: Pick<PortLike, 'name'>, sender: Sender): number | undefined {
  if (sender.kind !== 'page' || !port.name.startsWith(panelPortPrefix)) return undefined;
  const tabId = Number(port.name.slice(panelPortPrefix.length));
  return Number.isInteger(tabId) && tabId >= 0 ? tabId : undefined;
}

/** The id a `job:<id>` port asks to follow, if the port is one and its sender is ours. */
export function jobPortRequest(port: Pick<PortLike, 'name'>, sender: Sender): string | undefined {
  if (sender.kind === 'stranger' || !port.name.startsWith(jobPortPrefix)) return undefined;
  return port.name.slice(jobPortPrefix.length) || undefined;
}
