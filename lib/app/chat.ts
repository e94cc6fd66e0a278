// Popup chat and the sidebar's follow-ups: conversations persisted in Dexie, each answer a job like
// a summary, so closing the popup mid-answer loses nothing and reopening it shows the answer still
// arriving.
import { attachablePage, chatRequest, pageKey, titleFrom, type Conversation } from '../chat/conversation';
import type { ConversationStore } from '../chat/store';
import { appErrors } from '../errors';
import type { JobRecord, JobRunner, StartJob } from '../jobs/runner';
import { addCallUsage, type JobUsage } from '../jobs/usage';
import { ownsConversation, ownsSummary, type SenderTab } from './ownership';
import type { PageAccess } from './page-access';
import type { TabRef, Tabs } from './ports';
import type { ChatStarted, RequestOf } from './protocol';

export interface ChatDeps {
  store: () => ConversationStore;
  jobs: () => JobRunner;
  pages: PageAccess;
  tabs: Tabs;
  keepAlive(): void;
  /** The models the user configured; a sidebar may name no other. */
  configuredModels(): Promise<string[]>;
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
    // A sidebar's follow-ups cite the page its reader has a unit map of; the popup has no page to show them in.
    return attachablePage(page, { cite: fromTab !== undefined });
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
      source: { kind: 'conversation', conversationId: conversation.id, ...(conversation.followUpOf && { followUpOf: conversation.followUpOf }) },
      ...(conversation.followUpOf && conversation.page?.cite && { citations: conversation.page.cite }),
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
  async function existing(conversationId: string, tab?: SenderTab): Promise<Conversation> {
    const conversation = await deps.store().get(conversationId);
    if (!conversation) throw appErrors.conversationGone();
    if (tab && !ownsConversation(conversation, tab)) throw appErrors.forbidden();
    return conversation;
  }

  /** A sidebar's question: about its own tab's page, from its own summary, with a model the user chose. */
  async function checkSidebarSend(input: ChatInput, tab: SenderTab) {
    // Without a URL the thread could belong to no page, and would surface in the popup.
    if (!tab.url) throw appErrors.forbidden();
    if (input.afterSummaryJobId && !ownsSummary(await deps.jobs().get(input.afterSummaryJobId), tab)) throw appErrors.forbidden();
    if (input.model && !(await deps.configuredModels()).includes(input.model)) throw appErrors.forbidden();
  }

  return {
    /** `tab`: the sender's own tab when the sidebar asks, so a follow-up is about the page it sits on. */
    async send(input: ChatInput, tab?: SenderTab): Promise<ChatStarted> {
      if (tab) await checkSidebarSend(input, tab);
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
    async retry(conversationId: string, tab?: SenderTab): Promise<ChatStarted> {
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
    /** A conversation; a sidebar (`tab`) may see only its page's threads. */
    async get(id: string, tab?: SenderTab) {
      const conversation = await deps.store().get(id);
      if (conversation && tab && !ownsConversation(conversation, tab)) throw appErrors.forbidden();
      return conversation;
    },
    delete: async (id: string) => void (await deps.store().remove(id)),
  };
}

export type Chat = ReturnType<typeof createChat>;
