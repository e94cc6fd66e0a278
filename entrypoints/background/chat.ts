// Popup chat: conversations persisted in Dexie, each answer a job like a summary, so closing the
// popup mid-answer loses nothing and reopening it shows the answer still arriving.
import { browser, type Browser } from 'wxt/browser';
import { attachablePage, chatRequest, titleFrom, type Conversation } from '../../lib/chat/conversation';
import { conversationStore } from '../../lib/chat/store';
import { pageContent } from '../../lib/security/schemas';
import { keepAliveWhileBusy } from './housekeeping';
import { database, jobRunner } from './services';
import { ensureContentScript } from './summarise';

const store = () => conversationStore(database());

class PageUnavailableError extends Error {
  readonly kind = 'restricted_page';
  constructor() {
    super('Precis cannot read the current tab (built-in pages, the extension store and PDFs are off limits). Ask without the page, or switch to a normal web page.');
  }
}

/** The page in `tab`, or in the tab the user is looking at, for "about this page". */
async function currentPage(fromTab?: Browser.tabs.Tab): Promise<NonNullable<Conversation['page']>> {
  let tab = fromTab;
  if (!tab) {
    const win = await browser.windows.getLastFocused({ windowTypes: ['normal'] });
    [tab] = await browser.tabs.query({ active: true, windowId: win.id });
  }
  if (!tab?.id || !(await ensureContentScript(tab, 'reader'))) throw new PageUnavailableError();
  const page = pageContent.parse(await browser.tabs.sendMessage(tab.id, { type: 'page.extract', useSelection: false }));
  return attachablePage(page);
}

/** Starts the job that answers the conversation's last question, and records it as the next turn. */
async function answer(conversation: Conversation): Promise<string> {
  const request = chatRequest(conversation);
  // The turn that names the job must be stored before the job can finish (a cached or failed
  // answer is instant), or its text would have no turn to land in.
  let markSaved!: () => void;
  const turnSaved = new Promise<void>((resolve) => (markSaved = resolve));
  const job = jobRunner().start({
    kind: 'chat',
    title: conversation.title,
    run: async (io) => {
      await turnSaved;
      let text = '';
      try {
        await io.chat(request, {
          onDelta: (delta) => {
            text += delta;
            io.onDelta(delta);
          },
        });
      } finally {
        // Stopped or failed answers keep what arrived; the job keeps the error for the view.
        await store().update(conversation.id, (c) => {
          const turn = c.turns.find((t) => t.jobId === job.id);
          if (turn) turn.content = text;
        });
      }
    },
  });
  conversation.turns.push({ role: 'assistant', content: '', at: Date.now(), jobId: job.id });
  conversation.updatedAt = Date.now();
  try {
    await store().put(conversation);
  } finally {
    markSaved();
  }
  keepAliveWhileBusy();
  return job.id;
}

export interface ChatInput {
  conversationId?: string;
  text: string;
  attachPage: boolean;
  model?: string;
  afterSummaryJobId?: string;
}

/** `tab`: the sender's own tab when the sidebar asks, so a follow-up is about the page it sits on. */
export async function sendChat(input: ChatInput, tab?: Browser.tabs.Tab) {
  const now = Date.now();
  const existing = input.conversationId ? await store().get(input.conversationId) : undefined;
  if (input.conversationId && !existing) throw new Error('That conversation was deleted.');
  const conversation: Conversation = existing ?? { id: crypto.randomUUID(), title: titleFrom(input.text), createdAt: now, updatedAt: now, turns: [] };
  if (input.attachPage && !conversation.page) conversation.page = await currentPage(tab);
  if (!existing && input.afterSummaryJobId) {
    // The summary the user just read is the context their follow-up refers to ("the second point…").
    const summary = await jobRunner().get(input.afterSummaryJobId);
    if (summary?.text) {
      conversation.turns.push(
        { role: 'user', content: 'Summarise this page.', at: now, context: true },
        { role: 'assistant', content: summary.text, at: now, context: true },
      );
    }
  }
  if (input.model !== undefined) conversation.model = input.model || undefined;
  conversation.turns.push({ role: 'user', content: input.text, at: now });
  const jobId = await answer(conversation);
  return { conversationId: conversation.id, jobId };
}

/** Answers the last question again: after a failure, a stop, or an interrupted worker. */
export async function retryChat(conversationId: string) {
  const conversation = await store().get(conversationId);
  if (!conversation) throw new Error('That conversation was deleted.');
  if (conversation.turns.at(-1)?.role === 'assistant') conversation.turns.pop();
  return { conversationId, jobId: await answer(conversation) };
}

export const listChats = () => store().list();
export const getChat = (id: string) => store().get(id);
export const deleteChat = (id: string) => store().remove(id);
