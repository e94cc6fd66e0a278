// Library entries as Markdown files: YAML front matter (title, url or a picked file's name, date,
// model) and the text.
import type { LibraryItem } from './entry';

/**
 * A YAML double-quoted scalar. JSON's escapes are a subset of YAML's, so JSON.stringify does most
 * of it; YAML also wants DEL, the C1 controls, the line and paragraph separators and the BOM
 * escaped, which JSON leaves raw.
 */
export function yamlString(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function toMarkdown(item: LibraryItem): string {
  const lines = [
    '---',
    `title: ${yamlString(item.title)}`,
    ...(item.url ? [`url: ${yamlString(item.url)}`] : []),
    ...(item.file ? [`file: ${yamlString(item.file)}`] : []),
    // An ISO timestamp is a plain YAML scalar that needs no quoting.
    `date: ${new Date(item.at).toISOString()}`,
    ...(item.model ? [`model: ${yamlString(item.model)}`] : []),
    `kind: ${item.kind}`,
    '---',
    '',
    item.body,
    '',
  ];
  return lines.join('\n');
}

/** Everything in one file: the documents one after another, each with its own front matter. */
export function toMarkdownCollection(items: readonly LibraryItem[]): string {
  return items.map(toMarkdown).join('\n');
}

/** A file name from the title: no path separators or characters some systems refuse, never empty. */
export function markdownFileName(title: string): string {
  const base = [...title]
    // Controls and the characters Windows or macOS refuse in names.
    .map((c) => (c < ' ' || c === '\u007f' || '\\/:*?"<>|'.includes(c) ? ' ' : c))
    .join('')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80)
    .replace(/^\.+/, '');
  return `${base || 'precis'}.md`;
}
