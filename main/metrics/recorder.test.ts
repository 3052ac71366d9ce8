import { describe, expect, it } from 'vitest';
import { Recorder } from './recorder';
import type { ResponseMeter } from './response-meter';

const meter: ResponseMeter = {
  bytes: () => 10,
  firstByteAt: () => undefined,
  captureBody: () => undefined,
  capturedBody: () => undefined,
};

function recordFor(model: string) {
  return new Recorder(undefined, undefined, () => ({})).record({
    startedAt: Date.now(),
    clientKey: undefined,
    inboundFormat: 'openai-chat',
    model,
    stream: false,
    requestBytes: 100,
    meter,
    outcome: undefined,
    status: 404,
  });
}

describe('Recorder', () => {
  it('keeps a model name as sent, up to 256 characters', () => {
    expect(recordFor('gpt-4o').model).toBe('gpt-4o');
    const long = recordFor('m'.repeat(100_000)).model;
    expect(long).toBe(`${'m'.repeat(256)}…`);
  });
});
