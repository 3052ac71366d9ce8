import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateEvents } from '../aggregate';
import type { IRStreamEvent } from '../ir';
import { ChatStreamDecoder, ChatStreamEncoder } from './stream';

const dataLines = (text: string) =>
  text
    .split('\n\n')
    .filter((block) => block.startsWith('data: {'))
    .map((block) => block.slice('data: '.length));

describe('ChatStreamEncoder chunks', () => {
  it('are exactly what JSON.stringify makes of the chunk object, whatever the id, model and text', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.array(fc.string(), { maxLength: 4 }), (model, id, texts) => {
        const encoder = new ChatStreamEncoder({ model });
        let out = encoder.push({ type: 'start', id, model: 'upstream', created: 1_700_000_000 });
        out += encoder.push({ type: 'part_start', index: 0, part: { type: 'text' } });
        for (const text of texts) out += encoder.push({ type: 'text_delta', index: 0, text });
        out += encoder.push({ type: 'finish', stopReason: 'end' });
        const chunks = dataLines(out);
        expect(chunks).toHaveLength(texts.length + 2);
        for (const data of chunks) {
          const parsed = JSON.parse(data);
          // Re-serializing gives the same bytes: same keys, same order, same escaping.
          expect(JSON.stringify(parsed)).toBe(data);
          expect(Object.keys(parsed)).toEqual(['id', 'object', 'created', 'model', 'choices']);
          expect(parsed.model).toBe(model);
          if (id) expect(parsed.id).toBe(id.startsWith('chatcmpl') ? id : `chatcmpl-${id}`);
          else expect(parsed.id).toMatch(/^chatcmpl-/);
        }
        expect(chunks.slice(1, -1).map((data) => JSON.parse(data).choices[0].delta.content)).toEqual(texts);
        expect(JSON.parse(chunks.at(-1) ?? '').choices[0]).toEqual({
          index: 0,
          delta: {},
          finish_reason: 'stop',
        });
      }),
      { numRuns: 200 },
    );
  });

  it('take the upstream id and time from the start event, even after a chunk was made', () => {
    const encoder = new ChatStreamEncoder({ model: 'm' });
    const early = JSON.parse(
      dataLines(encoder.push({ type: 'part_start', index: 0, part: { type: 'text' } }))[0] ?? '',
    );
    const late = encoder.push({ type: 'start', id: 'abc', model: 'u', created: 42 });
    const next = JSON.parse(dataLines(encoder.push({ type: 'text_delta', index: 0, text: 'x' }))[0] ?? '');
    expect(early.id).toMatch(/^chatcmpl-/);
    expect(late).toBe('');
    expect(next).toMatchObject({ id: 'chatcmpl-abc', created: 42 });
  });
});

describe('ChatStreamDecoder on what compatible servers send', () => {
  const decode = (deltas: Array<Record<string, unknown>>, finish = 'tool_calls') => {
    const decoder = new ChatStreamDecoder();
    const events: IRStreamEvent[] = [];
    const push = (choice: Record<string, unknown>) =>
      events.push(...decoder.push({ data: JSON.stringify({ id: 'c', choices: [{ index: 0, ...choice }] }) }));
    for (const delta of deltas) push({ delta, finish_reason: null });
    push({ delta: {}, finish_reason: finish });
    events.push(...decoder.push({ data: '[DONE]' }));
    return aggregateEvents(events);
  };
  const calls = (answer: ReturnType<typeof decode>) =>
    'error' in answer
      ? answer
      : answer.content.flatMap((p) =>
          p.type === 'tool_call' ? [{ id: p.id, name: p.name, arguments: p.arguments }] : [],
        );

  it('calls with an index, arguments in pieces (OpenAI)', () => {
    const answer = decode([
      { tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'f', arguments: '' } }] },
      {
        tool_calls: [
          { index: 1, id: 'call_b', type: 'function', function: { name: 'g', arguments: '{"y":' } },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"x":1}' } }] },
      { tool_calls: [{ index: 1, function: { arguments: '2}' } }] },
    ]);
    expect(calls(answer)).toEqual([
      { id: 'call_a', name: 'f', arguments: '{"x":1}' },
      { id: 'call_b', name: 'g', arguments: '{"y":2}' },
    ]);
  });

  it('calls without an index: pieces with no id and no name continue the last call', () => {
    const answer = decode([
      { tool_calls: [{ id: 'call_a', function: { name: 'f', arguments: '{"x"' } }] },
      { tool_calls: [{ function: { arguments: ':1}' } }] },
      { tool_calls: [{ id: 'call_b', function: { name: 'g', arguments: '{}' } }] },
    ]);
    expect(calls(answer)).toEqual([
      { id: 'call_a', name: 'f', arguments: '{"x":1}' },
      { id: 'call_b', name: 'g', arguments: '{}' },
    ]);
  });

  it('every call at index 0: a new id starts a new call, and pieces without one continue it', () => {
    const answer = decode([
      { tool_calls: [{ index: 0, id: 'call_a', function: { name: 'f', arguments: '{"x":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '1}' } }] },
      { tool_calls: [{ index: 0, id: 'call_b', function: { name: 'g', arguments: '{"y":' } }] },
      { tool_calls: [{ index: 0, id: 'call_b', function: { arguments: '2}' } }] },
    ]);
    expect(calls(answer)).toEqual([
      { id: 'call_a', name: 'f', arguments: '{"x":1}' },
      { id: 'call_b', name: 'g', arguments: '{"y":2}' },
    ]);
  });

  it('arguments sent as an object, and reasoning under `reasoning`', () => {
    const answer = decode([
      { reasoning: 'thinking it over' },
      { tool_calls: [{ index: 0, id: 'call_a', function: { name: 'f', arguments: { x: 1 } } }] },
    ]);
    expect(calls(answer)).toEqual([{ id: 'call_a', name: 'f', arguments: '{"x":1}' }]);
    expect('error' in answer ? [] : answer.content[0]).toEqual({
      type: 'thinking',
      text: 'thinking it over',
    });
  });
});
