// The dialect a provider speaks, by its `kind` (default: OpenAI-compatible).

import type { ProviderConfig, ProviderKind } from '../types';
import { anthropicDialect } from './anthropic';
import { azureDialect } from './azure';
import { openaiDialect } from './openai';
import type { Dialect } from './types';

export type { ChatBodyOptions, Dialect } from './types';

const DIALECTS: Record<ProviderKind, Dialect> = {
  openai: openaiDialect,
  azure: azureDialect,
  anthropic: anthropicDialect,
};

export function dialectFor(provider: Pick<ProviderConfig, 'kind'>): Dialect {
  return DIALECTS[provider.kind ?? 'openai'];
}
