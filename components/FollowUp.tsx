import { useCallback, useEffect, useState } from 'react';
import type { CitedSource } from './CitedAnswer';
import { AssistantTurn } from './ChatView';
import { ErrorPanel } from './ErrorPanel';
import { t } from './i18n';
import { sendRequest } from './sendRequest';
import { useQuestion } from './useQuestion';
import type { Conversation } from '../lib/chat/conversation';

/**
 * Questions about the page under its summary: a thread that starts from the summary and belongs
 * to the page, so it is there again whenever the page's summary is (a reload, a cached repeat).
 * `tabId`: in the side panel, the tab whose page it is (the sidebar's is the tab it sits in).
 * `source`: the summary's video, whose times in the answers play it from there and show what is
 * said, or its PDF, whose page citations open the page. Stable while the summary is the same: each
 * turn is memoised on it.
 */
export function FollowUp({ summaryJobId, tabId, source }: { summaryJobId: string; tabId?: number; source?: CitedSource }) {
  const [conversation, setConversation] = useState<Conversation>();

  useEffect(() => {
    let current = true;
    void sendRequest({ type: 'chat.forPage', ...(tabId !== undefined && { tabId }) }).then((thread) => current && setConversation((shown) => shown ?? thread));
    return () => void (current = false);
  }, [tabId]);

  const reload = useCallback(async (id: string) => {
    setConversation(await sendRequest({ type: 'chat.get', conversationId: id }));
  }, []);

  const { draft, setDraft, error, ask } = useQuestion(async (text) => {
    const { conversationId } = await sendRequest({
      type: 'chat.send',
      text,
      attachPage: true,
      ...(tabId !== undefined && { tabId }),
      ...(conversation ? { conversationId: conversation.id } : { afterSummaryJobId: summaryJobId }),
    });
    await reload(conversationId);
  });

  const retry = useCallback(async () => {
    if (conversation) await reload((await sendRequest({ type: 'chat.retry', conversationId: conversation.id })).conversationId);
  }, [conversation, reload]);

  // The summary it starts from is already on screen above.
  const last = conversation?.turns.at(-1);
  return (
    <section className="follow-up" aria-label={t('followUp')}>
      {conversation?.turns.map((turn, i) =>
        turn.context ? null : turn.role === 'user' ? (
          <p className="question" key={i}>
            {turn.content}
          </p>
        ) : (
          <AssistantTurn key={turn.jobId ?? i} turn={turn} last={turn === last} onRetry={retry} cite {...(tabId !== undefined && { citeTabId: tabId })} {...(source && { source })} />
        ),
      )}
      {error && <ErrorPanel error={error} />}
      <form onSubmit={(e) => (e.preventDefault(), void ask())}>
        <input aria-label={t('followUp')} placeholder={t('followUp')} value={draft} onChange={(e) => setDraft(e.target.value)} />
        <button type="submit" disabled={!draft.trim()}>
          {t('send')}
        </button>
      </form>
    </section>
  );
}
