import { useCallback, useState } from 'react';
import { AssistantTurn } from '../../components/ChatView';
import { ErrorPanel } from '../../components/ErrorPanel';
import { t } from '../../components/i18n';
import { sendRequest } from '../../components/sendRequest';
import { useQuestion } from '../../components/useQuestion';
import type { Conversation } from '../../lib/chat/conversation';

/** Questions about the page under its summary: a conversation that starts from the summary. */
export function FollowUp({ summaryJobId }: { summaryJobId: string }) {
  const [conversation, setConversation] = useState<Conversation>();

  const reload = useCallback(async (id: string) => {
    setConversation(await sendRequest({ type: 'chat.get', conversationId: id }));
  }, []);

  const { draft, setDraft, error, ask } = useQuestion(async (text) => {
    const { conversationId } = await sendRequest({
      type: 'chat.send',
      text,
      attachPage: true,
      ...(conversation ? { conversationId: conversation.id } : { afterSummaryJobId: summaryJobId }),
    });
    await reload(conversationId);
  });

  // The summary it starts from is already on screen above.
  const turns = conversation?.turns.filter((turn) => !turn.context);
  return (
    <section className="follow-up" aria-label={t('followUp')}>
      {turns?.map((turn, i) =>
        turn.role === 'user' ? (
          <p className="question" key={i}>
            {turn.content}
          </p>
        ) : (
          <AssistantTurn key={turn.jobId} turn={turn} last={turn === conversation?.turns.at(-1)} onSettled={() => {}} onRetry={() => {}} />
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
