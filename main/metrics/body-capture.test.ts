import { describe, expect, it } from 'vitest';
import { BodyCapture, capText } from './body-capture';

describe('capText', () => {
  it('keeps a short body whole', () => {
    expect(capText(Buffer.from('héllo'), 100)).toEqual({ text: 'héllo', truncated: false });
  });

  it('cuts before a character that would be split', () => {
    // "aé" is 61 c3 a9: a cut at 2 bytes would split é, so only "a" is kept.
    expect(capText(Buffer.from('aé'), 2)).toEqual({ text: 'a', truncated: true });
    expect(capText(Buffer.from('a😀b'), 5)).toEqual({ text: 'a😀', truncated: true });
  });
});

describe('BodyCapture', () => {
  it('joins strings and buffers, and keeps nothing when nothing was written', () => {
    const capture = new BodyCapture(100);
    expect(capture.result()).toBeUndefined();
    capture.add('data: 1\n\n');
    capture.add(Buffer.from('data: 2\n\n'));
    capture.add(undefined);
    expect(capture.result()).toEqual({ text: 'data: 1\n\ndata: 2\n\n', truncated: false });
  });

  it('holds at most the cap, however much is written, and says it cut', () => {
    const capture = new BodyCapture(10);
    for (let i = 0; i < 1000; i++) capture.add('0123456789');
    expect(capture.result()).toEqual({ text: '0123456789', truncated: true });
  });

  it('a body of exactly the cap is not cut', () => {
    const capture = new BodyCapture(10);
    capture.add('01234');
    capture.add('56789');
    expect(capture.result()).toEqual({ text: '0123456789', truncated: false });
  });
});
