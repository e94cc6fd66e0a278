import { actionsFor, type ErrorView } from '../lib/errors';
import { errorHeading, errorHelp, t } from './i18n';

export function ErrorPanel({ error, onOpenOptions }: { error: ErrorView; onOpenOptions?: () => void }) {
  const fixable = actionsFor(error.kind).includes('open_options');
  return (
    <div className="error" role="alert" data-kind={error.kind}>
      <strong>{errorHeading(error.kind)}</strong>
      {/* In another UI language, a kind with words of its own says it in that language; else the message (English) does. */}
      <p>{errorHelp(error.kind) ?? error.message}</p>
      {fixable && onOpenOptions && (
        <button type="button" onClick={onOpenOptions}>
          {t('openOptions')}
        </button>
      )}
    </div>
  );
}
