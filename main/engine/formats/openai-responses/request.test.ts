import { describe, expect, it } from 'vitest';
import { FormatError } from '../ir';
import { decodeResponsesRequest } from './request';

describe('decodeResponsesRequest', () => {
  it('refuses requests that point at turns stored upstream, which translation would silently drop', () => {
    for (const [field, value] of [
      ['previous_response_id', 'resp_123'],
      ['conversation', 'conv_123'],
      ['conversation', { id: 'conv_123' }],
    ] as const) {
      let thrown: unknown;
      try {
        decodeResponsesRequest({ model: 'm', input: 'and then?', [field]: value });
      } catch (error) {
        thrown = error;
      }
      expect(thrown, field).toBeInstanceOf(FormatError);
      expect((thrown as FormatError).param).toBe(field);
      expect((thrown as FormatError).message).toContain('send the full input');
    }
  });

  it('takes a request that carries its whole input, with those fields null', () => {
    const ir = decodeResponsesRequest({
      model: 'm',
      input: 'hi',
      previous_response_id: null,
      conversation: null,
    });
    expect(ir.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]);
  });
});
