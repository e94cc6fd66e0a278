// Turns whatever a job threw into what a view shows. The LLM client's errors already carry a
// precise `kind` and a redacted, human message; anything else is a bug, reported as such.
export function describeError(err: unknown): { kind: string; message: string } {
  if (err && typeof err === 'object' && 'kind' in err && typeof err.kind === 'string') {
    const message = 'message' in err && typeof err.message === 'string' ? err.message : err.kind;
    return { kind: err.kind, message };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'internal', message: `Something went wrong inside Precis: ${message}` };
}
