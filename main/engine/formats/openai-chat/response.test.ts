import { describe, expect, it } from 'vitest';
import { decodeResponsesResponse } from '../openai-responses/response';
import { decodeChatResponse } from './response';

describe('whole answers from compatible servers', () => {
  it('Chat: arguments sent as an object are JSON text, and `reasoning` is thinking', () => {
    const answer = decodeChatResponse({
      id: 'c',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            reasoning: 'first, the weather',
            tool_calls: [
              { id: 'call_a', type: 'function', function: { name: 'f', arguments: { city: 'Paris' } } },
            ],
          },
        },
      ],
    });
    expect(answer.content).toEqual([
      { type: 'thinking', text: 'first, the weather' },
      { type: 'tool_call', id: 'call_a', name: 'f', arguments: '{"city":"Paris"}' },
    ]);
  });

  it('Responses: arguments sent as an object are JSON text', () => {
    const answer = decodeResponsesResponse({
      id: 'r',
      status: 'completed',
      output: [{ type: 'function_call', call_id: 'call_a', name: 'f', arguments: { city: 'Paris' } }],
    });
    expect(answer.content).toEqual([
      { type: 'tool_call', id: 'call_a', name: 'f', arguments: '{"city":"Paris"}' },
    ]);
  });
});
