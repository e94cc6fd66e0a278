// The LLM client's public surface. Everything else in lib/llm is an implementation detail.
export type * from './types';
export { createLlmClient, type ChatClient, type LlmClient, type LlmClientDeps, type ClientStats, type ListModelsOptions } from './client';
export { LlmError, isLlmError } from './errors';
export { DEFAULT_CLIENT_OPTIONS, type ClientOptions } from './options';
export type { StateStore } from './persisted-state';
