import { actionsFor, type ErrorView } from '../lib/errors';
import { errorHeading, t } from './i18n';

interface ErrorPanelProps {
  error: ErrorView;
  onOpenOptions?: () => void;
  /** A video without a transcript: offer its description, as what it is. */
  onSummariseDescription?: () => void;
}

export function ErrorPanel({ error, onOpenOptions, onSummariseDescription }: ErrorPanelProps) {
  const actions = actionsFor(error.kind);
  const fixable = actions.includes('open_options');
  return (
    <div className="error" role="alert" data-kind={error.kind}>
      <strong>{errorHeading(error.kind)}</strong>
      <p>{error.message}</p>
      {fixable && onOpenOptions && (
        <button type="button" onClick={onOpenOptions}>
          {t('openOptions')}
        </button>
      )}
      {actions.includes('summarise_description') && onSummariseDescription && (
        <button type="button" onClick={onSummariseDescription}>
          {t('summariseDescription')}
        </button>
      )}
    </div>
  );
}
