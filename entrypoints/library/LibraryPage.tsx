// The library: a thin view over `library.*` messages. It asks only when the user types, filters
// or acts; at rest it does nothing.
import { useEffect, useRef, useState } from 'react';
import { CopyButton } from '../../components/CopyButton';
import { ErrorPanel } from '../../components/ErrorPanel';
import { languageTag, t } from '../../components/i18n';
import { Markdown } from '../../components/markdown/Markdown';
import { sendRequest, viewOf } from '../../components/sendRequest';
import type { ErrorView } from '../../lib/errors';
import type { LibraryEntry, LibraryItem, LibraryKind } from '../../lib/library/entry';
import type { LibraryListing, MarkdownFile } from '../../lib/library/library';

/** Typing pauses this long before the search runs: one query per burst of keys, still "as you type". */
const typingPauseMs = 120;

function download({ fileName, markdown }: MarkdownFile) {
  const url = URL.createObjectURL(new Blob([markdown], { type: 'text/markdown;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  // The click has started the download; the URL is no longer needed.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

const dateOf = (at: number) => new Date(at).toLocaleString(languageTag(), { dateStyle: 'medium', timeStyle: 'short' });

function EntryRow({ entry, selected, onOpen }: { entry: LibraryEntry; selected: boolean; onOpen: () => void }) {
  return (
    <li>
      <button type="button" className="entry" aria-current={selected || undefined} onClick={onOpen} data-testid="library-entry">
        <span className="entry-head">
          <span className={`badge ${entry.kind}`}>{t(entry.kind === 'summary' ? 'libraryBadgeSummary' : 'libraryBadgeChat')}</span>
          <span className="entry-title">{entry.title}</span>
        </span>
        <span className="entry-meta">
          {entry.site && <span>{entry.site}</span>}
          {entry.file && <span>{t('libraryLocalFile')}</span>}
          <time dateTime={new Date(entry.at).toISOString()}>{dateOf(entry.at)}</time>
        </span>
        {entry.preview && <span className="entry-preview">{entry.preview}</span>}
      </button>
    </li>
  );
}

function Reader({ item, onDeleted }: { item: LibraryItem; onDeleted: () => void }) {
  const [markdown, setMarkdown] = useState<MarkdownFile>();
  useEffect(() => {
    let live = true;
    void sendRequest({ type: 'library.markdown', id: item.id }).then((file) => live && setMarkdown(file));
    return () => void (live = false);
  }, [item.id]);

  async function remove() {
    if (!window.confirm(t('libraryDeleteConfirm', { title: item.title }))) return;
    await sendRequest({ type: 'library.delete', id: item.id });
    onDeleted();
  }

  return (
    <article className="reader" aria-labelledby="reader-title" data-testid="library-reader">
      <h2 id="reader-title">{item.title}</h2>
      <p className="reader-meta">
        {item.url && (
          <a href={item.url} target="_blank" rel="noopener noreferrer" data-testid="source-link">
            {t('librarySource', { url: item.url })}
          </a>
        )}
        {item.file && <span data-testid="source-file">{t('libraryPickedFile', { name: item.file })}</span>}
        <span>
          <time dateTime={new Date(item.at).toISOString()}>{dateOf(item.at)}</time>
          {item.model && ` · ${t('libraryModel', { model: item.model })}`}
        </span>
      </p>
      <div className="row actions">
        {markdown && <CopyButton text={markdown.markdown} label={t('libraryCopyMarkdown')} />}
        <button type="button" disabled={!markdown} onClick={() => markdown && download(markdown)}>
          {t('libraryExport')}
        </button>
        <button type="button" className="danger" onClick={() => void remove()}>
          {t('libraryDelete')}
        </button>
      </div>
      <Markdown text={item.body} className="reader-body" />
    </article>
  );
}

export function LibraryPage() {
  const [text, setText] = useState('');
  const [kind, setKind] = useState<LibraryKind | ''>('');
  const [site, setSite] = useState('');
  const [listing, setListing] = useState<LibraryListing>();
  const [open, setOpen] = useState<LibraryItem | 'gone'>();
  const [error, setError] = useState<ErrorView>();
  // Replies can arrive out of order while the user types: only the latest query's may show.
  const latest = useRef(0);
  const firstList = useRef(true);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const asked = ++latest.current;
    const timer = setTimeout(
      () =>
        void sendRequest({ type: 'library.list', ...(text.trim() && { text }), ...(kind && { kind }), ...(site && { site }) }).then(
          (result) => asked === latest.current && (setListing(result), setError(undefined)),
          (err: unknown) => asked === latest.current && setError(viewOf(err)),
        ),
      // The first list shows at once; later ones wait for a pause in typing.
      firstList.current ? 0 : typingPauseMs,
    );
    firstList.current = false;
    return () => clearTimeout(timer);
  }, [text, kind, site, reloads]);

  // A library tab left open goes stale as summaries are made elsewhere: coming back to it lists
  // again. An event, not a timer, so the page at rest still does nothing.
  useEffect(() => {
    const onVisible = () => document.visibilityState === 'visible' && setReloads((n) => n + 1);
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, []);

  async function openEntry(id: string) {
    try {
      setOpen((await sendRequest({ type: 'library.get', id })) ?? 'gone');
    } catch (err) {
      setError(viewOf(err));
    }
  }

  async function exportAll() {
    const file = await sendRequest({ type: 'library.markdown' });
    if (file) download(file);
  }

  const entries = listing?.entries ?? [];
  const filtered = !!(text.trim() || kind || site);
  return (
    <main className="library">
      <header className="library-header">
        <div>
          <h1>{t('libraryTitle')}</h1>
          <p className="help">{t('libraryLead')}</p>
        </div>
        <button type="button" onClick={() => void exportAll()} disabled={!listing || (entries.length === 0 && !filtered)}>
          {t('libraryExportAll')}
        </button>
      </header>
      <div className="filters" role="search">
        <label className="search">
          {t('librarySearch')}
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} autoFocus />
        </label>
        <label>
          {t('libraryKind')}
          <select value={kind} onChange={(e) => setKind(e.target.value as LibraryKind | '')}>
            <option value="">{t('libraryKindAll')}</option>
            <option value="summary">{t('libraryKindSummary')}</option>
            <option value="chat">{t('libraryKindChat')}</option>
          </select>
        </label>
        <label>
          {t('librarySite')}
          <select value={site} onChange={(e) => setSite(e.target.value)}>
            <option value="">{t('librarySiteAll')}</option>
            {listing?.sites.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <ErrorPanel error={error} />}
      <div className="panes">
        <section className="results" aria-label={t('libraryResults')}>
          {listing && (
            <p className="help" role="status" data-testid="library-count">
              {entries.length === 0 ? t(filtered ? 'libraryNoMatch' : 'libraryEmpty') : listing.truncated ? t('libraryTruncated', { n: entries.length }) : t('libraryCount', { n: entries.length })}
            </p>
          )}
          <ul className="entries">
            {entries.map((entry) => (
              <EntryRow key={entry.id} entry={entry} selected={open !== 'gone' && open?.id === entry.id} onOpen={() => void openEntry(entry.id)} />
            ))}
          </ul>
        </section>
        <section className="detail">
          {open === 'gone' ? (
            <p className="help">{t('libraryGone')}</p>
          ) : open ? (
            <Reader
              key={open.id}
              item={open}
              onDeleted={() => {
                setOpen(undefined);
                setReloads((n) => n + 1);
              }}
            />
          ) : (
            <p className="help">{t('libraryPick')}</p>
          )}
        </section>
      </div>
    </main>
  );
}
