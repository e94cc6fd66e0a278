import { createRoot } from 'react-dom/client';
import { t } from '../../components/i18n';
import { applyUiLocale } from '../../components/locale';
import '../../components/theme.css';
import '../../components/page.css';
import './library.css';
import { LibraryPage } from './LibraryPage';

await applyUiLocale();
// The title is what the tab strip shows.
document.title = `${t('appName')} · ${t('libraryTitle')}`;
createRoot(document.getElementById('root')!).render(<LibraryPage />);
