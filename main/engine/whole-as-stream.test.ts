import { describe, expect, it } from 'vitest';
import type { AnswerBody, UpstreamAnswer } from './upstream/dispatched-answer';
import { mayBeWholeAnswer, sniffWholeAnswer } from './whole-as-stream';

/** A body that hands out `chunks`, then ends or fails with `failure`. */
function bodyOf(chunks: string[], failure?: Error): AnswerBody & { destroyed: boolean } {
  const queue = chunks.map((c) => Buffer.from(c));
  const body = {
    destroyed: false,
    next: async (): Promise<IteratorResult<Buffer>> => {
      const chunk = queue.shift();
      if (chunk) return { value: chunk, done: false };
      if (failure) throw failure;
      return { value: undefined, done: true };
    },
    return: async (): Promise<IteratorResult<Buffer>> => {
      body.destroyed = true;
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => body,
    whole: async () => {
      throw new Error('not used: a sniffed body is read through its iterator');
    },
    destroy: () => {
      body.destroyed = true;
    },
    dump: async () => {},
  };
  return body;
}

const answerOf = (body: AnswerBody, type?: string): UpstreamAnswer => ({
  statusCode: 200,
  headers: type ? { 'content-type': type } : {},
  body,
});

async function readAll(body: AnswerBody): Promise<string> {
  let text = '';
  for await (const chunk of body) text += chunk.toString();
  return text;
}

describe('a streamed answer that may be one JSON document', () => {
  it('only answers not labelled as event streams are looked into', () => {
    expect(mayBeWholeAnswer(answerOf(bodyOf([]), 'text/event-stream; charset=utf-8'))).toBe(false);
    expect(mayBeWholeAnswer(answerOf(bodyOf([]), 'application/vnd.amazon.eventstream'))).toBe(false);
    expect(mayBeWholeAnswer(answerOf(bodyOf([]), 'application/json'))).toBe(true);
    expect(mayBeWholeAnswer(answerOf(bodyOf([])))).toBe(true);
  });

  it('a JSON object after blank lines is a whole answer, read whole with nothing lost', async () => {
    const sniffed = await sniffWholeAnswer(answerOf(bodyOf(['\n', ' \r\n', '{"choices"', ':[]}'])));
    expect(sniffed.whole).toBe(true);
    expect((await sniffed.upstream.body.whole(1000)).toString()).toBe('\n \r\n{"choices":[]}');
  });

  it('an HTML page is read whole too (to fail as no answer before anything reaches the client)', async () => {
    const sniffed = await sniffWholeAnswer(answerOf(bodyOf(['<html>', '502</html>']), 'text/html'));
    expect(sniffed.whole).toBe(true);
    expect((await sniffed.upstream.body.whole(1000)).toString()).toBe('<html>502</html>');
  });

  it('SSE and a Gemini JSON-array stream are not, and are relayed from their first byte', async () => {
    for (const first of ['data: {"a":1}\n\n', ': comment\n', '[{"candidates":[]}']) {
      const sniffed = await sniffWholeAnswer(answerOf(bodyOf([first, 'rest'])));
      expect(sniffed.whole).toBe(false);
      expect(await readAll(sniffed.upstream.body)).toBe(`${first}rest`);
    }
  });

  it('a body over the cap is refused when read whole', async () => {
    const raw = bodyOf(['{"a":"', 'x'.repeat(100), '"}']);
    const sniffed = await sniffWholeAnswer(answerOf(raw));
    await expect(sniffed.upstream.body.whole(50)).rejects.toThrow('larger than');
    expect(raw.destroyed).toBe(true);
  });

  it('an answer that breaks before its first byte reports the failure to the relay, not to the sniffer', async () => {
    const reset = new Error('other side closed');
    const sniffed = await sniffWholeAnswer(answerOf(bodyOf([], reset)));
    expect(sniffed.whole).toBe(false);
    await expect(readAll(sniffed.upstream.body)).rejects.toBe(reset);
  });

  it('a reader that stops early releases the upstream answer', async () => {
    const raw = bodyOf(['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n']);
    const sniffed = await sniffWholeAnswer(answerOf(raw));
    for await (const _ of sniffed.upstream.body) break;
    expect(raw.destroyed).toBe(true);
  });
});
