// YouTube ships its data as JavaScript assignments in the watch page (`var ytInitialPlayerResponse
// = {…};`, `ytcfg.set({…})`). A content script cannot read the page's variables (isolated world),
// and after an in-app navigation the inline scripts describe the first video, so we read the
// objects out of HTML text. No library parses one JSON value embedded in arbitrary text; this
// scanner finds where the object ends (strings and escapes respected) and hands it to JSON.parse.

/** The JSON object that follows `marker` in `text`, parsed; undefined when absent or malformed. */
export function jsonAfter(text: string, marker: string, from = 0): unknown {
  const at = text.indexOf(marker, from);
  if (at < 0) return undefined;
  const start = text.indexOf('{', at + marker.length);
  // Only whitespace and `=` or `(` may sit between the marker and its object.
  if (start < 0 || !/^[\s=(]*$/.test(text.slice(at + marker.length, start))) return undefined;
  const end = objectEnd(text, start);
  if (end < 0) return undefined;
  try {
    return JSON.parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
}

/** Index of the `}` closing the object opened at `start`, or -1. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) depth++;
    else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (--depth === 0) return i;
    }
  }
  return -1;
}
