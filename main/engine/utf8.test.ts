import { describe, expect, it } from 'vitest';
import { utf8Text } from './utf8';

describe('utf8Text', () => {
  it('decodes ASCII and non-ASCII bodies exactly as UTF-8', () => {
    for (const text of ['{"model":"gpt-4o"}', 'naïve café — 東京 🚀', '', 'x'.repeat(70_000)]) {
      expect(utf8Text(Buffer.from(text, 'utf8'))).toBe(text);
    }
  });

  it('replaces invalid sequences the way the UTF-8 decoder does', () => {
    const broken = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    expect(utf8Text(broken)).toBe(broken.toString('utf8'));
  });
});
