import { describe, expect, it } from 'vitest';
import { aggregateEvents } from '../aggregate';
import type { IRStreamEvent } from '../ir';
import { ResponsesStreamDecoder } from './stream';

function decode(events: Array<Record<string, unknown>>) {
  const decoder = new ResponsesStreamDecoder();
  const out: IRStreamEvent[] = [];
  for (const event of events)
    out.push(...decoder.push({ event: String(event.type), data: JSON.stringify(event) }));
  out.push(...decoder.end());
  return aggregateEvents(out);
}

const message = {
  type: 'message',
  id: 'msg_1',
  role: 'assistant',
  content: [{ type: 'output_text', text: 'Hello there' }],
};
const call = { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'f', arguments: '{"x":1}' };
const created = { type: 'response.created', response: { id: 'resp_1', model: 'm', created_at: 1 } };
const completed = (output: unknown[]) => ({
  type: 'response.completed',
  response: { id: 'resp_1', status: 'completed', output, usage: { input_tokens: 3, output_tokens: 2 } },
});

describe('ResponsesStreamDecoder', () => {
  it('reads the usual stream, and does not add the final output to the deltas', () => {
    const answer = decode([
      created,
      { type: 'response.output_item.added', output_index: 0, item: { ...message, content: [] } },
      { type: 'response.output_text.delta', output_index: 0, delta: 'Hello' },
      { type: 'response.output_text.delta', output_index: 0, delta: ' there' },
      { type: 'response.output_item.done', output_index: 0, item: message },
      completed([message]),
    ]);
    expect(answer).toMatchObject({ content: [{ type: 'text', text: 'Hello there' }], stopReason: 'end' });
  });

  it('reads deltas whose item was never announced (compatible servers)', () => {
    const answer = decode([
      created,
      { type: 'response.output_text.delta', output_index: 0, delta: 'Hello' },
      { type: 'response.output_text.delta', output_index: 0, delta: ' there' },
      completed([message]),
    ]);
    expect(answer).toMatchObject({ content: [{ type: 'text', text: 'Hello there' }] });
  });

  it('reads an item given whole in its done event, without deltas', () => {
    const answer = decode([
      created,
      { type: 'response.output_item.added', output_index: 0, item: { ...message, content: [] } },
      { type: 'response.output_item.done', output_index: 0, item: message },
      completed([message]),
    ]);
    expect(answer).toMatchObject({ content: [{ type: 'text', text: 'Hello there' }] });
  });

  it('reads a stream of only the final response from its output', () => {
    const answer = decode([created, completed([message, call])]);
    expect(answer).toMatchObject({
      content: [
        { type: 'text', text: 'Hello there' },
        { type: 'tool_call', id: 'call_1', name: 'f', arguments: '{"x":1}' },
      ],
      stopReason: 'tool_call',
      usage: { inputTokens: 3, outputTokens: 2 },
    });
  });
});
