// Conversations in Dexie. Turns live inside their conversation: a chat is read and written whole,
// and is small next to the page it may carry.
import type { PrecisDb } from '../db';
import { conversationSearchFields, withSearchFields, withoutSearchFields } from '../library/search-fields';
import type { Conversation } from './conversation';

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
  aboutPage?: string;
}

export function conversationStore(db: PrecisDb) {
  return {
    get: async (id: string): Promise<Conversation | undefined> => {
      const row = await db.conversations.get(id);
      return row && withoutSearchFields(row);
    },
    put: async (conversation: Conversation) => void (await db.conversations.put(withSearchFields(conversation, conversationSearchFields))),
    remove: (id: string) => db.conversations.delete(id),
    /** The popup's chats, newest first, without turns or page text (sidebar follow-ups are the page's own). */
    async list(limit = 50): Promise<ConversationSummary[]> {
      const rows = await db.conversations
        .orderBy('updatedAt')
        .reverse()
        .filter((c) => c.followUpOf === undefined)
        .limit(limit)
        .toArray();
      return rows.map((c) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt, ...(c.page && { aboutPage: c.page.title || c.page.url }) }));
    },
    /** The latest follow-up thread about a page (`pageKey`), if there is one. */
    async followUpsOf(page: string): Promise<Conversation | undefined> {
      const row = (await db.conversations.where('followUpOf').equals(page).sortBy('updatedAt')).at(-1);
      return row && withoutSearchFields(row);
    },
    /** Applies `change` to the stored conversation in one transaction, so two writers cannot lose a turn. */
    update: (id: string, change: (c: Conversation) => void) =>
      db.transaction('rw', db.conversations, async () => {
        const row = await db.conversations.get(id);
        if (!row) return undefined;
        const c: Conversation = withoutSearchFields(row);
        change(c);
        await db.conversations.put(withSearchFields(c, conversationSearchFields));
        return c;
      }),
  };
}

export type ConversationStore = ReturnType<typeof conversationStore>;
