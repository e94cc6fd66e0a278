// The browser's side panel (Chrome's side_panel, Firefox's sidebar_action, both from this one
// entrypoint): the sidebar's views for the tab the user is looking at.
import { createRoot } from 'react-dom/client';
import { applyUiLocale } from '../../components/locale';
import '../../components/theme.css';
import '../../components/markdown/markdown.css';
// The same panel as the in-page sidebar's frame, so the same styles.
import '../sidebar-frame/sidebar.css';
import './sidepanel.css';
import { SidePanel } from './SidePanel';

await applyUiLocale();
createRoot(document.getElementById('root')!).render(<SidePanel />);
