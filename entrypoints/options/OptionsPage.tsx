import { t } from '../../components/i18n';
import { ProviderSection } from '../../components/ProviderSection';
import { DataSection } from './DataSection';
import { PreferencesSection } from './PreferencesSection';

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
