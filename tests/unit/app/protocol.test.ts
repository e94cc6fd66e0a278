import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRequest as parse } from '../../../lib/app/protocol';

/** The request, or a throw with the reason, as the door reports it. */
function parseRequest(raw: unknown) {
  const parsed = parse(raw);
  if (!parsed.ok) throw new Error(`Rejected message: ${parsed.problem}`);
  return parsed.request;
}

const knownTypes = [
  'settings.get', 'settings.save', 'settings.test', 'summarise.activeTab', 'summarise.thisTab',
  'job.stop', 'job.forget', 'options.open', 'cache.stats', 'privacy.export', 'privacy.deleteAll',
];

describe('message schemas at the background door', () => {
  it('accepts well-formed requests', () => {
    expect(parseRequest({ type: 'settings.get' })).toEqual({ type: 'settings.get' });
    expect(
      parseRequest({ type: 'settings.save', settings: { presetId: 'custom', baseUrl: ' https://api.example.com/v1 ', model: 'm', apiKey: 'sk-x' } }),
    ).toEqual({ type: 'settings.save', settings: { presetId: 'custom', baseUrl: 'https://api.example.com/v1', model: 'm', apiKey: 'sk-x' } });
    expect(parseRequest({ type: 'job.stop', jobId: 'abc' })).toEqual({ type: 'job.stop', jobId: 'abc' });
  });

  it('rejects unknown types, missing fields and wrong shapes', () => {
    for (const bad of [
      null, 'settings.get', 42, [], {}, { type: 'eval' }, { type: 'job.stop' }, { type: 'job.stop', jobId: 7 },
      { type: 'job.stop', jobId: '' }, { type: 'job.stop', jobId: 'x'.repeat(65) },
      { type: 'summarise.thisTab' }, { type: 'summarise.thisTab', regenerate: 'yes' },
      { type: 'settings.save', settings: { baseUrl: 'https://ok.example', model: 'm' } },
      { type: 'settings.save', settings: { presetId: 'custom', baseUrl: 'javascript:alert(1)', model: 'm' } },
      { type: 'settings.save', settings: { presetId: 'custom', baseUrl: 'file:///etc/passwd', model: 'm' } },
      { type: 'settings.save', settings: { presetId: 'custom', baseUrl: 'https://ok.example', model: 'm', apiKey: 'k'.repeat(501) } },
      { type: 'settings.save', settings: { presetId: 'custom', baseUrl: '', model: 'm', headers: { 'Bad Header': 'x' } } },
    ]) {
      expect(() => parseRequest(bad), JSON.stringify(bad)).toThrow(/Rejected message/);
    }
  });

  it('never lets an arbitrary value through unless it is a known, well-formed request', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record({ type: fc.oneof(fc.constantFrom(...knownTypes), fc.string()), jobId: fc.anything(), settings: fc.anything(), regenerate: fc.anything() }, { requiredKeys: ['type'] }),
        ),
        (value) => {
          let parsed: unknown;
          try {
            parsed = parseRequest(value);
          } catch (err) {
            expect((err as Error).message).toMatch(/^Rejected message/);
            return;
          }
          expect(knownTypes).toContain((parsed as { type: string }).type);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
