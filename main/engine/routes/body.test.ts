import { describe, expect, it } from 'vitest';
import { FormatError } from '../formats/ir';
import { jsonBody } from './body';

describe('jsonBody', () => {
  it('parses a JSON object, with or without a UTF-8 byte order mark', () => {
    expect(jsonBody(Buffer.from('{"model":"m"}'))).toEqual({ model: 'm' });
    expect(jsonBody(Buffer.from('\ufeff{"model":"m","text":"é"}'))).toEqual({ model: 'm', text: 'é' });
  });

  it('refuses what is not a JSON object with a FormatError', () => {
    for (const text of ['', '   ', '\ufeff', 'nope', '[1]', '"s"', 'null'])
      expect(() => jsonBody(Buffer.from(text)), text).toThrow(FormatError);
    expect(() => jsonBody(undefined)).toThrow(/empty/);
  });
});
