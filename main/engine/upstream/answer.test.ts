import { describe, expect, it } from 'vitest';
import { decodeErrorBody } from '../formats/error-shapes';
import { errorInAnswer } from './answer';

const check = (json: unknown) => errorInAnswer(json, Buffer.from(JSON.stringify(json)), decodeErrorBody);

describe('errorInAnswer', () => {
  it('finds an error sent with status 200, with the status its code names', () => {
    expect(check({ error: { code: 429, message: 'Key limit exceeded' } })).toMatchObject({
      status: 429,
      kind: 'rate_limit',
      message: 'Key limit exceeded',
    });
    expect(
      check({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    ).toMatchObject({
      status: 502,
      kind: 'server',
      message: 'Overloaded',
    });
    expect(check({ error: { code: 'insufficient_quota', message: 'No credit' } })).toMatchObject({
      status: 502,
      code: 'insufficient_quota',
      message: 'No credit',
    });
    expect(check({ error: 'upstream went away' })).toMatchObject({
      status: 502,
      message: 'upstream went away',
    });
    expect(check({ error: { code: 200, message: 'odd' } })?.status).toBe(502);
  });

  it('leaves answers alone, a Responses answer with "error": null included', () => {
    expect(check({ object: 'response', status: 'completed', error: null, output: [] })).toBeUndefined();
    expect(check({ choices: [] })).toBeUndefined();
    expect(check({ error: '' })).toBeUndefined();
    expect(check({ error: 0 })).toBeUndefined();
    expect(check([{ error: { message: 'an array is a Gemini stream, read elsewhere' } }])).toBeUndefined();
    expect(check('text')).toBeUndefined();
  });
});
