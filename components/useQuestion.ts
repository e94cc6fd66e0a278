// The question being typed and the error of the last send: the popup chat and the sidebar's
// follow-ups ask the same way.
import { useRef, useState } from 'react';
import type { ErrorView } from '../lib/errors';
import { viewOf } from './sendRequest';

export function useQuestion(sendText: (text: string) => Promise<void>) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<ErrorView>();
  const sending = useRef(false);
  async function ask() {
    const text = draft.trim();
    // One question at a time: Enter pressed twice must not ask twice.
    if (!text || sending.current) return;
    sending.current = true;
    setError(undefined);
    // The box empties at once, as the question leaves; it comes back if the question could not be sent.
    setDraft('');
    try {
      await sendText(text);
    } catch (err) {
      setDraft(text);
      setError(viewOf(err));
    } finally {
      sending.current = false;
    }
  }
  return { draft, setDraft, error, ask };
}
