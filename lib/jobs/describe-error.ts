// Turns whatever a job threw into what a view shows. The LLM client's errors already carry a
// precise `kind` and a redacted, human message; anything else is a bug, reported as such.
import { looksLikeOriginRejection } from '../providers';

export function describeError(err: unknown): { kind: string; message: string } {
  if (err && typeof err === 'object' && 'kind' in err && typeof err.kind === 'string') {
    const message = 'message' in err && typeof err.message === 'string' ? err.message : err.kind;
    const status = 'status' in err && typeof err.status === 'number' ? err.status : undefined;
    const detail = 'detail' in err && typeof err.detail === 'string' ? err.detail : undefined;
    // A 403 with no provider-style body is a local server (Ollama) refusing our Origin, not our key.
    if (err.kind === 'auth' && looksLikeOriginRejection(status, detail)) {
      return {
        kind: 'origin_rejected',
        message:
          'The server refused requests from the extension (403). Ollama does this unless OLLAMA_ORIGINS allows extensions; ' +
          'Precis rewrites the Origin for local servers it can reach. Save the provider again, or start Ollama with OLLAMA_ORIGINS=chrome-extension://*,moz-extension://*.',
      };
    }
    return { kind: err.kind, message };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'internal', message: `Something went wrong inside Precis: ${message}` };
}
