import { memo, useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Conversation, Turn } from '../lib/chat/conversation';
import type { ConversationSummary } from '../lib/chat/store';
import { actionsFor } from '../lib/errors';
import { CitedAnswer, type CitedSource } from './CitedAnswer';
import { CopyButton } from './CopyButton';
import { UsageLine } from './UsageLine';
import { ErrorPanel } from './ErrorPanel';
import { JobStatusLine } from './JobStatusLine';
import { t } from './i18n';
import { Markdown } from './markdown/Markdown';
import { sendRequest } from './sendRequest';
import { useQuestion } from './useQuestion';
import { withoutCitations } from '../lib/jobs/citations';
import { isLive } from '../lib/jobs/job-view';
import { useJob } from './useJob';

interface AssistantTurnProps {
  turn: Turn;
  last: boolean;
  onRetry: () => void;
  /** In a page's sidebar: the answer's citations are chips that show their passage in the page. */
  cite?: boolean;
  /** With `cite`, in the side panel: the tab whose page the citations point into. */
  citeTabId?: number;
  /** About a video: its times play the video from there and show what is said (stable: the turn is memoised). */
  source?: CitedSource;
}

/**
 * One answer. It follows its job only while that can still change what is shown (the last turn,
 * or one with no stored text yet); a finished earlier turn renders from the stored conversation,
 * so a long chat does not keep a port and a re-render per turn.
 */
export const AssistantTurn = memo(function AssistantTurn({ turn, last, onRetry, cite, citeTabId, source }: AssistantTurnProps) {
  const job = useJob(last || !turn.content ? turn.jobId : undefined);
  const text = job?.text || turn.content;
  const streaming = !!job && isLive(job.status);
  const canRetry =
    last && !!job && (job.status === 'stopped' || job.status === 'interrupted' || (!!job.error && actionsFor(job.error.kind).includes('retry')));
  return (
    <div className="turn assistant" data-testid="assistant-turn">
      {job && (streaming || job.status === 'interrupted' || job.status === 'stopped') && <JobStatusLine job={job} />}
      {text &&
        (cite && (job?.citations || source) ? (
          <div className="answer">
            <CitedAnswer jobId={turn.jobId ?? ''} text={text} units={job?.citations?.units} {...(citeTabId !== undefined && { tabId: citeTabId })} {...(source && { source })} />
          </div>
        ) : (
          <Markdown text={text} className="answer" />
        ))}
      {job ? job.status === 'done' && <UsageLine usage={job.usage} /> : <UsageLine usage={turn.usage} />}
      {job?.error && <ErrorPanel error={job.error} onOpenOptions={openOptions} />}
      <div className="turn-actions">
        {streaming && (
          <button type="button" onClick={() => void sendRequest({ type: 'job.stop', jobId: job.id })}>
            {t('stop')}
          </button>
        )}
        {!streaming && text && <CopyButton text={withoutCitations(text)} />}
        {canRetry && (
          <button type="button" onClick={onRetry}>
            {t('retry')}
          </button>
        )}
      </div>
    </div>
  );
}, sameTurn);

function sameTurn(a: AssistantTurnProps, b: AssistantTurnProps): boolean {
  return (
    a.turn.jobId === b.turn.jobId && a.turn.content === b.turn.content && a.last === b.last && a.onRetry === b.onRetry && a.cite === b.cite && a.citeTabId === b.citeTabId && a.source === b.source
  );
}

const openOptions = () => void sendRequest({ type: 'options.open' });

export function ChatView() {
  const [chats, setChats] = useState<ConversationSummary[]>([]);
  const [conversation, setConversation] = useState<Conversation>();
  const [showHistory, setShowHistory] = useState(false);
  const [attachPage, setAttachPage] = useState(false);
  const [models, setModels] = useState<string[]>([]);
  const [model, setModel] = useState('');
  const bottom = useRef<HTMLDivElement>(null);

  const open = useCallback(async (id: string) => {
    const c = await sendRequest({ type: 'chat.get', conversationId: id });
    setConversation(c);
    setModel(c?.model ?? '');
  }, []);

  const refreshList = useCallback(async () => {
    const list = await sendRequest({ type: 'chat.list' });
    setChats(list);
    return list;
  }, []);

  // Reopening the popup brings back the latest conversation, its answer still arriving if it was.
  useEffect(() => {
    void sendRequest({ type: 'chat.list' }).then((list) => {
      setChats(list);
      if (list[0]) void open(list[0].id);
    });
    void sendRequest({ type: 'models.list' }).then(setModels, () => setModels([]));
  }, [open]);

  useEffect(() => {
    // Braces matter: scrollIntoView returns a promise in current Chrome, which is no effect cleanup.
    void bottom.current?.scrollIntoView({ block: 'end' });
  }, [conversation?.turns.length]);

  const conversationId = conversation?.id;
  const retry = useCallback(() => {
    if (conversationId) void sendRequest({ type: 'chat.retry', conversationId }).then(() => open(conversationId));
  }, [conversationId, open]);

  const { draft, setDraft, error, ask: send } = useQuestion(async (text) => {
    const { conversationId } = await sendRequest({
      type: 'chat.send',
      conversationId: conversation?.id,
      text,
      attachPage: attachPage && !conversation?.page,
      model,
    });
    setAttachPage(false);
    await open(conversationId);
    void refreshList();
  });

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  }

  async function remove() {
    if (!conversation) return;
    await sendRequest({ type: 'chat.delete', conversationId: conversation.id });
    setConversation(undefined);
    void refreshList();
  }

  const lastTurn = conversation?.turns.at(-1);

  return (
    <section className="chat">
      <div className="chat-bar">
        <button type="button" onClick={() => (setConversation(undefined), setModel(''), setShowHistory(false))}>
          {t('newChat')}
        </button>
        <button type="button" aria-expanded={showHistory} onClick={() => setShowHistory(!showHistory)}>
          {t('history')}
        </button>
        {conversation && (
          <button type="button" className="quiet" onClick={() => void remove()}>
            {t('deleteChat')}
          </button>
        )}
      </div>
      {showHistory && (
        <ul className="history" aria-label={t('history')}>
          {chats.length === 0 && <li className="help">{t('noChats')}</li>}
          {chats.map((c) => (
            <li key={c.id}>
              <button type="button" className={c.id === conversation?.id ? 'current' : ''} onClick={() => (setShowHistory(false), void open(c.id))}>
                {c.title}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="turns" aria-live="polite">
        {conversation?.page && <p className="help">{t('aboutPageAttached', { title: conversation.page.title || conversation.page.url })}</p>}
        {conversation?.turns.map((turn, i) =>
          turn.context ? null : turn.role === 'user' ? (
            <div className="turn user" key={i} data-testid="user-turn">
              {turn.content}
            </div>
          ) : (
            <AssistantTurn key={turn.jobId ?? i} turn={turn} last={turn === lastTurn} onRetry={retry} />
          ),
        )}
        <div ref={bottom} />
      </div>
      {error && <ErrorPanel error={error} />}
      <div className="composer">
        <textarea
          aria-label={t('askPlaceholder')}
          placeholder={t('askPlaceholder')}
          rows={2}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <div className="composer-row">
          {!conversation?.page && (
            <label className="check">
              <input type="checkbox" checked={attachPage} onChange={(e) => setAttachPage(e.target.checked)} />
              {t('aboutPage')}
            </label>
          )}
          <select aria-label={t('model')} value={model} onChange={(e) => setModel(e.target.value)}>
            <option value="">{t('defaultModel')}</option>
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
          <button type="button" className="primary" onClick={() => void send()} disabled={!draft.trim()}>
            {t('send')}
          </button>
        </div>
      </div>
    </section>
  );
}
