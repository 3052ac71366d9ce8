import { describe, expect, it } from 'vitest';
import { frame } from '../../../../test/mocks/kiro';
import { EventStreamReader } from './event-stream';

const join = (...parts: Uint8Array[]) => Buffer.concat(parts);

describe('EventStreamReader', () => {
  it('returns the frames each read completed, a frame split across reads once it is whole', () => {
    const first = frame('assistantResponseEvent', { content: 'Hel' });
    const second = frame('assistantResponseEvent', { content: 'lo' });
    const reader = new EventStreamReader();
    const bytes = join(first, second);
    const cut = first.length + 5;
    expect(reader.push(bytes.subarray(0, cut))).toEqual([
      { event: 'assistantResponseEvent', data: '{"content":"Hel"}' },
    ]);
    expect(reader.push(bytes.subarray(cut))).toEqual([
      { event: 'assistantResponseEvent', data: '{"content":"lo"}' },
    ]);
    expect(reader.end()).toEqual([]);
    expect(reader.finished).toBe(false);
  });

  it('ends with an exception message when the stream stops inside a frame', () => {
    const reader = new EventStreamReader();
    const whole = frame('assistantResponseEvent', { content: 'x' });
    expect(reader.push(whole.subarray(0, whole.length - 3))).toEqual([]);
    const [last] = reader.end();
    expect(last?.event).toBe('exception');
    expect(last?.data).toMatch(/ended inside an event-stream frame/);
  });

  it('stops at an upstream exception or a corrupt frame and reads nothing after it', () => {
    const reader = new EventStreamReader();
    const messages = reader.push(
      join(
        frame('ThrottlingException', { message: 'slow down' }, 'exception'),
        frame('assistantResponseEvent', {}),
      ),
    );
    expect(messages).toEqual([
      { event: 'exception', data: JSON.stringify({ type: 'ThrottlingException', message: 'slow down' }) },
    ]);
    expect(reader.finished).toBe(true);
    expect(reader.push(frame('assistantResponseEvent', { content: 'late' }))).toEqual([]);
    expect(reader.end()).toEqual([]);

    const corrupt = frame('assistantResponseEvent', { content: 'x' });
    corrupt[corrupt.length - 1] = (corrupt.at(-1) ?? 0) ^ 0xff;
    const broken = new EventStreamReader();
    expect(broken.push(corrupt)[0]?.data).toMatch(/corrupted event-stream frame/);
    expect(broken.finished).toBe(true);
  });
});
