import { createRoot } from 'react-dom/client';
import '../../components/page.css';
import './popup.css';
import { Popup } from './Popup';

createRoot(document.getElementById('root')!).render(<Popup />);
