import { createRoot } from 'react-dom/client';
import { applyUiLocale } from '../../components/locale';
import '../../components/theme.css';
import '../../components/page.css';
import './popup.css';
import { Popup } from './Popup';

await applyUiLocale();
createRoot(document.getElementById('root')!).render(<Popup />);
