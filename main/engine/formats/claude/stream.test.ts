import { describe, expect, it } from 'vitest';
import { aggregateEvents } from '../aggregate';
import type { IRStreamEvent } from '../ir';
import { decodeClaudeResponse } from './response';
import { ClaudeStreamDecoder } from './stream';

function decode(events: Array<Record<string, unknown>>) {
  const decoder = new ClaudeStreamDecoder();
  const out: IRStreamEvent[] = [];
  for (const event of events)
    out.push(...decoder.push({ event: String(event.type), data: JSON.stringify(event) }));
  out.push(...decoder.end());
  return aggregateEvents(out);
}

const start = {
  type: 'message_start',
  message: { id: 'msg_1', model: 'm', usage: { input_tokens: 1, output_tokens: 0 } },
};
const finish = [
  { type: 'content_block_stop', index: 0 },
  { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 2 } },
  { type: 'message_stop' },
];

describe('ClaudeStreamDecoder tool calls', () => {
  it('takes arguments streamed as input_json_delta after an empty start (Anthropic)', () => {
    const answer = decode([
      start,
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '{"city":' },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '"Paris"}' },
      },
      ...finish,
    ]);
    expect(answer).toMatchObject({
      content: [{ type: 'tool_call', name: 'f', arguments: '{"city":"Paris"}' }],
    });
  });

  it('takes arguments given whole in the start (compatible servers), and does not add deltas to them', () => {
    const answer = decode([
      start,
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: { city: 'Paris' } },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '{"city":"Paris"}' },
      },
      ...finish,
    ]);
    expect(answer).toMatchObject({
      content: [{ type: 'tool_call', name: 'f', arguments: '{"city":"Paris"}' }],
      stopReason: 'tool_call',
    });
  });

  it('takes arguments given as JSON text instead of an object, in the start or a whole answer', () => {
    const answer = decode([
      start,
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: '{"city":"Paris"}' },
      },
      ...finish,
    ]);
    expect(answer).toMatchObject({ content: [{ type: 'tool_call', arguments: '{"city":"Paris"}' }] });
    const whole = decodeClaudeResponse({
      content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: '{"city":"Paris"}' }],
      stop_reason: 'tool_use',
    });
    expect(whole.content).toEqual([
      { type: 'tool_call', id: 'toolu_1', name: 'f', arguments: '{"city":"Paris"}' },
    ]);
  });
});
