import { errorHeading, t } from './i18n';

export function ErrorPanel({ error, onOpenOptions }: { error: { kind: string; message: string }; onOpenOptions?: () => void }) {
  const fixable = ['auth', 'not_found', 'not_configured', 'bad_response', 'quota', 'network', 'locked', 'corrupt', 'origin_rejected'].includes(error.kind);
  return (
    <div className="error" role="alert" data-kind={error.kind}>
      <strong>{errorHeading(error.kind)}</strong>
      <p>{error.message}</p>
      {fixable && onOpenOptions && (
        <button type="button" onClick={onOpenOptions}>
          {t('openOptions')}
        </button>
      )}
    </div>
  );
}
