import { useEffect, useState } from 'react';
import { t } from './i18n';

/** How long "Copied" stays before the button reads "Copy" again. */
const confirmMs = 2_000;

export function CopyButton({ text, label = t('copy') }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), confirmMs);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <button type="button" onClick={() => void navigator.clipboard.writeText(text).then(() => setCopied(true))}>
      {copied ? t('copied') : label}
    </button>
  );
}
