import { useCallback, useState, type FormEvent } from 'react';
import { AssistantTurn } from '../../components/ChatView';
import { ErrorPanel } from '../../components/ErrorPanel';
import { t } from '../../components/i18n';
import { sendRequest, viewOf } from '../../components/sendRequest';
import type { ErrorView } from '../../lib/errors';
import type { Conversation } from '../../lib/chat/conversation';

/** Questions about the page under its summary: a conversation that starts from the summary. */
export function FollowUp({ summaryJobId }: { summaryJobId: string }) {
  const [conversation, setConversation] = useState<Conversation>();
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<ErrorView>();

  const reload = useCallback(async (id: string) => {
    setConversation(await sendRequest({ type: 'chat.get', conversationId: id }));
  }, []);

  async function ask(e: FormEvent) {
    e.preventDefault();
    const text = draft.trim();
    if (!text) return;
    setError(undefined);
    try {
      const { conversationId } = await sendRequest({
        type: 'chat.send',
        text,
        attachPage: true,
        ...(conversation ? { conversationId: conversation.id } : { afterSummaryJobId: summaryJobId }),
      });
      setDraft('');
      await reload(conversationId);
    } catch (err) {
      setError(viewOf(err));
    }
  }

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
      <form onSubmit={(e) => void ask(e)}>
        <input aria-label={t('followUp')} placeholder={t('followUp')} value={draft} onChange={(e) => setDraft(e.target.value)} />
        <button type="submit" disabled={!draft.trim()}>
          {t('send')}
        </button>
      </form>
    </section>
  );
}
