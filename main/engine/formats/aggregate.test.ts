import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateEvents, responseEvents } from './aggregate';
import type { IRResponse, StopReason } from './ir';

const text = fc.string({ maxLength: 20 });
const signature = fc.option(fc.stringMatching(/^[A-Za-z0-9+/]{1,12}$/), { nil: undefined });
const part = fc.oneof(
  fc.record({ type: fc.constant('text' as const), text }),
  fc
    .record({
      type: fc.constant('thinking' as const),
      text,
      signature,
      redacted: fc.option(text, { nil: undefined }),
    })
    .map(({ signature: s, redacted, ...rest }) => ({
      ...rest,
      ...(s !== undefined ? { signature: s } : {}),
      ...(redacted !== undefined ? { redacted, text: '' } : {}),
    })),
  fc
    .record({
      type: fc.constant('tool_call' as const),
      id: fc.stringMatching(/^call_[a-z0-9]{1,8}$/),
      name: fc.stringMatching(/^[a-z_]{1,10}$/),
      arguments: fc.json(),
      signature,
    })
    .map(({ signature: s, ...rest }) => ({ ...rest, ...(s !== undefined ? { signature: s } : {}) })),
);

const response: fc.Arbitrary<IRResponse> = fc
  .record({
    id: fc.string({ maxLength: 10 }),
    model: fc.string({ maxLength: 10 }),
    created: fc.integer({ min: 0, max: 2_000_000_000 }),
    content: fc.array(part, { maxLength: 5 }),
    stopReason: fc.constantFrom<StopReason>(
      'end',
      'max_tokens',
      'tool_call',
      'stop_sequence',
      'content_filter',
    ),
    stopSequence: fc.option(text, { nil: undefined }),
    usage: fc.record(
      {
        inputTokens: fc.nat(),
        outputTokens: fc.nat(),
        cachedInputTokens: fc.nat(),
        reasoningTokens: fc.nat(),
      },
      { requiredKeys: ['inputTokens', 'outputTokens'] },
    ),
  })
  .map(({ stopSequence, ...rest }) => ({ ...rest, ...(stopSequence !== undefined ? { stopSequence } : {}) }));

describe('responseEvents', () => {
  it('replays any whole answer as the events that aggregate back to it', () => {
    fc.assert(
      fc.property(response, (answer) => {
        expect(aggregateEvents(responseEvents(answer))).toEqual(answer);
      }),
      { numRuns: 300 },
    );
  });

  it('opens, fills and closes each part in order, then gives usage and the finish', () => {
    const events = responseEvents({
      id: 'r',
      model: 'm',
      created: 1,
      content: [
        { type: 'thinking', text: 'hmm', signature: 'sig' },
        { type: 'text', text: 'hi' },
        { type: 'tool_call', id: 'call_1', name: 'f', arguments: '{"a":1}' },
      ],
      stopReason: 'tool_call',
      usage: { inputTokens: 3, outputTokens: 4 },
    });
    expect(events.map((e) => `${e.type}${'index' in e ? e.index : ''}`)).toEqual([
      'start',
      'part_start0',
      'thinking_delta0',
      'signature_delta0',
      'part_stop0',
      'part_start1',
      'text_delta1',
      'part_stop1',
      'part_start2',
      'tool_args_delta2',
      'part_stop2',
      'usage',
      'finish',
    ]);
  });
});
