import { t } from '../../components/i18n';
import { DataSection } from './DataSection';
import { PreferencesSection } from './PreferencesSection';
import { ProviderSection } from './ProviderSection';

export function OptionsPage() {
  return (
    <main>
      <h1>{t('optionsTitle')}</h1>
      <ProviderSection />
      <PreferencesSection />
      <DataSection />
    </main>
  );
}
