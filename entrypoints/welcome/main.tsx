import { createRoot } from 'react-dom/client';
import { languageTag, t } from '../../components/i18n';
import { applyUiLocale } from '../../components/locale';
import '../../components/theme.css';
import '../../components/page.css';
import '../../components/provider.css';
import './welcome.css';
import { WelcomePage } from './WelcomePage';

await applyUiLocale();
// Screen readers pick the voice from `lang`; the title is what the tab strip shows.
document.documentElement.lang = languageTag();
document.title = t('welcomeTitle');
createRoot(document.getElementById('root')!).render(<WelcomePage />);
