export { summariseOffline, pointCount, type OfflineSummary, type OfflineSummaryOptions } from './summary';
export { splitSentences } from './sentences';
export { pageLanguage, headingsFor, type SummaryHeadings } from './language';
export type { WordSegmenter } from './tokens';
