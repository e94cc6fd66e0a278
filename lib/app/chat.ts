// Popup chat and the sidebar's follow-ups: conversations persisted in Dexie, each answer a job like
// a summary, so closing the popup mid-answer loses nothing and reopening it shows the answer still
// arriving.
import { attachablePage, chatRequest, pageKey, titleFrom, type Conversation } from '../chat/conversation';
import type { ConversationStore } from '../chat/store';
import { appErrors } from '../errors';
import type { JobRecord, JobRunner, StartJob } from '../jobs/runner';
import { addCallUsage, type JobUsage } from '../jobs/usage';
import type { PageAccess } from './page-access';
import type { TabRef, Tabs } from './ports';
import type { ChatStarted, RequestOf } from './protocol';

export interface ChatDeps {
  store: () => ConversationStore;
  jobs: () => JobRunner;
  pages: PageAccess;
  tabs: Tabs;
  keepAlive(): void;
  now?: () => number;
  newId?: () => string;
}

export type ChatInput = Omit<RequestOf<'chat.send'>, 'type'>;

export function createChat(deps: ChatDeps) {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => crypto.randomUUID());

  /** The page in `tab`, or in the tab the user is looking at, for "about this page". */
  async function currentPage(fromTab: TabRef | undefined): Promise<NonNullable<Conversation['page']>> {
    const page = await deps.pages.read(fromTab ?? (await deps.tabs.active()), false);
    if (!page) throw appErrors.pageForChatUnavailable();
    return attachablePage(page);
  }

  /**
   * The job that answers `conversation`'s last question into the assistant turn named by the job's
   * id (`jobId()`, once the job exists); `ready` resolves once that turn is stored.
   */
  function answerJob(conversation: Conversation, jobId: () => string, ready: Promise<void> = Promise.resolve()): StartJob {
    const request = chatRequest(conversation);
    return {
      kind: 'chat',
      title: conversation.title,
      source: { kind: 'conversation', conversationId: conversation.id },
      run: async (io) => {
        await ready;
        let text = '';
        let usage: JobUsage | undefined;
        try {
          const result = await io.chat(request, {
            onDelta: (delta) => {
              text += delta;
              io.onDelta(delta);
            },
          });
          usage = addCallUsage(undefined, result);
        } finally {
          // Stopped or failed answers keep what arrived; the job keeps the error for the view.
          await deps.store().update(conversation.id, (c) => {
            const turn = c.turns.find((t) => t.jobId === jobId());
            if (turn) Object.assign(turn, { content: text }, usage && { usage });
          });
        }
      },
    };
  }

  /** Starts the job that answers the conversation's last question, and records it as the next turn. */
  async function answer(conversation: Conversation): Promise<string> {
    // The turn that names the job must be stored before the job can finish (a cached or failed
    // answer is instant), or its text would have no turn to land in.
    let markSaved!: () => void;
    const turnSaved = new Promise<void>((resolve) => (markSaved = resolve));
    const job = deps.jobs().start(answerJob(conversation, () => job.id, turnSaved));
    conversation.turns.push({ role: 'assistant', content: '', at: now(), jobId: job.id });
    conversation.updatedAt = now();
    try {
      await deps.store().put(conversation);
    } finally {
      markSaved();
    }
    deps.keepAlive();
    return job.id;
  }

  /** A stored conversation; a sidebar (`tab`) may only continue its own page's thread. */
  async function existing(conversationId: string, tab?: TabRef): Promise<Conversation> {
    const conversation = await deps.store().get(conversationId);
    if (!conversation) throw appErrors.conversationGone();
    if (tab && conversation.followUpOf !== pageKey(tab.url ?? '')) throw appErrors.forbidden();
    return conversation;
  }

  return {
    /** `tab`: the sender's own tab when the sidebar asks, so a follow-up is about the page it sits on. */
    async send(input: ChatInput, tab?: TabRef): Promise<ChatStarted> {
      const at = now();
      const conversation: Conversation = input.conversationId
        ? await existing(input.conversationId, tab)
        : {
            id: newId(),
            title: titleFrom(input.text),
            createdAt: at,
            updatedAt: at,
            turns: [],
            // Asked in a page's sidebar: the thread is that page's.
            ...(tab?.url && { followUpOf: pageKey(tab.url) }),
          };
      if (input.attachPage && !conversation.page) conversation.page = await currentPage(tab);
      if (!input.conversationId && input.afterSummaryJobId) {
        // The summary the user just read is the context their follow-up refers to ("the second point…").
        const summary = await deps.jobs().get(input.afterSummaryJobId);
        if (summary?.text) {
          conversation.turns.push(
            { role: 'user', content: 'Summarise this page.', at, context: true },
            { role: 'assistant', content: summary.text, at, context: true },
          );
        }
      }
      if (input.model !== undefined) conversation.model = input.model || undefined;
      conversation.turns.push({ role: 'user', content: input.text, at });
      return { conversationId: conversation.id, jobId: await answer(conversation) };
    },

    /** Answers the last question again: after a failure, a stop, or an interrupted worker. */
    async retry(conversationId: string, tab?: TabRef): Promise<ChatStarted> {
      const conversation = await existing(conversationId, tab);
      if (conversation.turns.at(-1)?.role === 'assistant') conversation.turns.pop();
      return { conversationId, jobId: await answer(conversation) };
    },

    /** The same answer again, for a job a dead worker left unfinished, while its turn is still the one waiting. */
    async again(record: JobRecord): Promise<StartJob | undefined> {
      if (record.source?.kind !== 'conversation') return undefined;
      const conversation = await deps.store().get(record.source.conversationId);
      const at = conversation?.turns.findIndex((t) => t.jobId === record.id) ?? -1;
      if (!conversation || at !== conversation.turns.length - 1) return undefined;
      return answerJob({ ...conversation, turns: conversation.turns.slice(0, at) }, () => record.id);
    },

    /** The follow-up thread of the page in `tab`, shown again with its summary. */
    forPage: async (tab: TabRef) => (tab.url ? deps.store().followUpsOf(pageKey(tab.url)) : undefined),
    list: () => deps.store().list(),
    get: (id: string) => deps.store().get(id),
    delete: async (id: string) => void (await deps.store().remove(id)),
  };
}

export type Chat = ReturnType<typeof createChat>;
