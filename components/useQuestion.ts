// The question being typed and the error of the last send: the popup chat and the sidebar's
// follow-ups ask the same way.
import { useState } from 'react';
import type { ErrorView } from '../lib/errors';
import { viewOf } from './sendRequest';

export function useQuestion(sendText: (text: string) => Promise<void>) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<ErrorView>();
  async function ask() {
    const text = draft.trim();
    if (!text) return;
    setError(undefined);
    try {
      await sendText(text);
      setDraft('');
    } catch (err) {
      setError(viewOf(err));
    }
  }
  return { draft, setDraft, error, ask };
}
