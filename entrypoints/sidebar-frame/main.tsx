// The sidebar itself: an extension page framed by the host in the page, so the page cannot reach
// it. It asks the background what its tab's sidebar shows; the host only says when to ask again.
import { createRoot } from 'react-dom/client';
import { applyUiLocale } from '../../components/locale';
import { warmUpMarkdown } from '../../components/markdown/render';
import { sendRequest } from '../../components/sendRequest';
import { frameMessage, type FrameMessage } from '../../lib/sidebar-frame';
import '../../components/theme.css';
import '../../components/markdown/markdown.css';
import './sidebar.css';
import { Sidebar } from './Sidebar';

const toHost = (msg: FrameMessage) => window.parent.postMessage(msg, '*');
const close = () => toHost({ precisSidebar: 'close' });
const onWidth = (width: number) => toHost({ precisSidebar: 'width', width });
const onDrag = () => toHost({ precisSidebar: 'drag' });

await applyUiLocale();
const root = createRoot(document.getElementById('root')!);

let showing = '';
async function show() {
  const content = await sendRequest({ type: 'sidebar.content' });
  if (!content) return close();
  // The same content again changes nothing (and must not take focus from a half-typed question).
  if (JSON.stringify(content) === showing) return;
  showing = JSON.stringify(content);
  root.render(<Sidebar content={content} onClose={close} onWidth={onWidth} onDrag={onDrag} />);
}

// The page can post this too: all it can cause is asking the background again, for nothing new.
window.addEventListener('message', (event) => {
  if (event.source === window.parent && frameMessage(event.data)?.precisSidebar === 'show') void show();
});
void show();
setTimeout(warmUpMarkdown, 0);
