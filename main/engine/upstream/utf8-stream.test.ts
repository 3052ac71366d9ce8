import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Utf8StreamDecoder } from './utf8-stream';

function decodeInPieces(bytes: Buffer, cuts: number[]): string {
  const decoder = new Utf8StreamDecoder();
  let text = '';
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    text += decoder.write(bytes.subarray(from, cut));
    from = cut;
  }
  return text + decoder.write(bytes.subarray(from)) + decoder.end();
}

describe('Utf8StreamDecoder', () => {
  it('gives the same text as TextDecoder wherever the reads split the bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.array(fc.nat(), { maxLength: 5 }), (text, cuts) => {
        const bytes = Buffer.from(text);
        const at = cuts.map((cut) => cut % (bytes.length + 1));
        expect(decodeInPieces(bytes, at)).toBe(new TextDecoder().decode(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('drops a byte-order mark only at the very start, even when it arrives a byte at a time', () => {
    const bytes = Buffer.from('\uFEFFdata: \uFEFF1\n\n');
    expect(decodeInPieces(bytes, [1, 2, 3])).toBe('data: \uFEFF1\n\n');
    expect(decodeInPieces(bytes, [])).toBe('data: \uFEFF1\n\n');
  });

  it('replaces bytes that are not UTF-8 and keeps going', () => {
    const decoder = new Utf8StreamDecoder();
    expect(decoder.write(Buffer.from([0x61, 0xff, 0x62])) + decoder.end()).toBe('a\uFFFDb');
  });

  it('ends a stream cut inside a character with a replacement character', () => {
    const decoder = new Utf8StreamDecoder();
    const euro = Buffer.from('€');
    expect(decoder.write(euro.subarray(0, 2))).toBe('');
    expect(decoder.end()).toBe('\uFFFD');
  });
});
