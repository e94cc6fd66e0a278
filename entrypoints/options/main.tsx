import { createRoot } from 'react-dom/client';
import { applyUiLocale } from '../../components/locale';
import '../../components/theme.css';
import '../../components/page.css';
import '../../components/provider.css';
import './options.css';
import { OptionsPage } from './OptionsPage';

await applyUiLocale();
createRoot(document.getElementById('root')!).render(<OptionsPage />);
