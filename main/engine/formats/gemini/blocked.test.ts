import { describe, expect, it } from 'vitest';
import { aggregateEvents } from '../aggregate';
import type { IRStreamEvent } from '../ir';
import { decodeGeminiResponse } from './response';
import { GeminiStreamDecoder } from './stream';

// What Gemini answers, with HTTP 200, when it refuses the prompt itself.
const blocked = {
  promptFeedback: { blockReason: 'PROHIBITED_CONTENT' },
  usageMetadata: { promptTokenCount: 7, totalTokenCount: 7 },
  modelVersion: 'gemini-2.5-pro',
};

describe('a prompt Gemini blocks', () => {
  it('is an empty answer stopped by the content filter, not a finished one', () => {
    expect(decodeGeminiResponse(blocked)).toMatchObject({ content: [], stopReason: 'content_filter' });
  });

  it('ends a stream with the content filter, not as a truncated stream', () => {
    const decoder = new GeminiStreamDecoder();
    const events: IRStreamEvent[] = [...decoder.push({ data: JSON.stringify(blocked) }), ...decoder.end()];
    expect(aggregateEvents(events)).toMatchObject({
      content: [],
      stopReason: 'content_filter',
      usage: { inputTokens: 7 },
    });
  });

  it('an answer with candidates keeps its own finish reason', () => {
    const answer = decodeGeminiResponse({
      candidates: [{ content: { parts: [{ text: 'hi' }] }, finishReason: 'STOP' }],
      promptFeedback: { safetyRatings: [] },
    });
    expect(answer.stopReason).toBe('end');
  });
});
