// An OpenAI-compatible (and Anthropic, and Azure) chat server for unit tests, e2e tests and
// benchmarks. It is a real HTTP server on 127.0.0.1 so the client under test goes through the same
// fetch/socket/stream path as in production, including the failure modes (stalls, cut sockets,
// bytes split mid-character) that an in-process fake could never produce.
//
// Routes, under any of the API roots in `apiRoots` (by default the provider presets' own: /v1,
// /openai/v1, /api/v3…; any other root is a wrong base URL and gets a 404):
//   POST …/chat/completions                       OpenAI Chat Completions (streaming and not)
//   POST …/openai/deployments/{name}/chat/completions?api-version=…   Azure OpenAI; the model is {name}
//   POST …/messages                               Anthropic Messages (streaming and not)
//   GET  …/models                                 model list (Anthropic's shape with anthropic-version)
// Behaviour, faults and the rate limit apply to both dialects; `completions()` lists the OpenAI
// requests, `messages()` the Anthropic ones, and `stats()` counts both. The rate limits (requests,
// and tokens per minute) are described in the header dialect `limitHeaders` names
// (mock-llm/limit-headers.ts), whichever wire protocol the request used.
//
// The core (mock-llm/server.ts) holds routing, faults, timing and recording; each dialect's bodies,
// headers and events are in mock-llm/openai.ts and mock-llm/anthropic.ts.

export { DEFAULT_API_ROOTS, requestTokens, startMockLlm } from './mock-llm/server';
export { LIMIT_DIALECTS, type LimitDialect } from './mock-llm/limit-headers';
export type { Fault, MockBehaviour, MockLlm, RecordedRequest, ReplyContext } from './mock-llm/types';
