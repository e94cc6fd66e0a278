// Splits streamed Markdown into top-level blocks so a view re-renders only the block that is still
// growing: re-parsing the whole answer on every token would make long answers quadratic.
// Blocks end at a blank line, except inside a fenced code block.

const fence = /^ {0,3}(`{3,}|~{3,})/;

export function splitBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let openFence: string | undefined;
  for (const line of text.split('\n')) {
    const marker = fence.exec(line)?.[1];
    if (marker) {
      if (!openFence) openFence = marker;
      else if (marker[0] === openFence[0] && marker.length >= openFence.length) openFence = undefined;
    }
    if (!openFence && line.trim() === '' && current.length) {
      blocks.push(current.join('\n'));
      current = [];
    } else if (openFence || line.trim() !== '') {
      current.push(line);
    }
  }
  if (current.length) blocks.push(current.join('\n'));
  return blocks;
}
