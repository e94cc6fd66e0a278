// What the page reader sends the background: the schema it is checked against there, and its type.
import { z } from 'zod';

export const pageContent = z.object({
  url: z.string().max(4096),
  title: z.string().max(2000),
  text: z.string(),
  lang: z.string().max(35).optional(),
  byline: z.string().max(500).optional(),
  siteName: z.string().max(500).optional(),
  /** Direction of the page's text, from its markup (Readability's, for an article): where page text is shown, it is shown so. */
  dir: z.enum(['ltr', 'rtl', 'auto']).optional(),
  /**
   * Where `text` came from: Readability's article, the page's visible text, the selection, a
   * text/plain page, a site reader's structured text (a thread with who replied to whom, a
   * Wikipedia article without its references: lib/extract/sites), a video's transcript (with [m:ss] times), or a video's description (it has no transcript).
   */
  source: z.enum(['article', 'page', 'selection', 'plain', 'site', 'video', 'video-description', 'pdf']).optional(),
  /** The video whose transcript `text` is: its id, its length, and whose captions they are. */
  video: z.object({ id: z.string().max(20), seconds: z.number().nonnegative(), captions: z.enum(['manual', 'auto']) }).optional(),
  /** The page was longer than extraction keeps: `text` is its beginning. */
  truncated: z.boolean().optional(),
  /** The tab shows a PDF in the browser's viewer (an address without ".pdf"): the file is read instead. */
  pdf: z.boolean().optional(),
  /** Names this extraction: the page reader keeps the unit map of `text` under it, and citations name it. */
  extraction: z.string().max(64).optional(),
  /** With `truncated`: the words of the whole text, of which `text` holds the beginning. */
  totalWords: z.number().int().nonnegative().optional(),
});

export type PageContent = z.infer<typeof pageContent>;
