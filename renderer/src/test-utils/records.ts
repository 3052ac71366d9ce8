import type { RequestRecord } from '../../../shared/records';

let counter = 0;

/** A finished request as the engine logs it, with whatever the test cares about overridden. */
export function record(overrides: Partial<RequestRecord> = {}): RequestRecord {
  counter += 1;
  return {
    id: `req-${counter}`,
    started_at: 1_700_000_000_000,
    client_key: 'laptop',
    inbound_format: 'openai-chat',
    model: 'mini',
    resolved_model: 'gpt-4o-mini',
    provider: 'openai-main',
    account: 'openai-main',
    attempts: [
      { provider: 'openai-main', account: 'openai-main', status: 200, reason: 'ok', duration_ms: 40 },
    ],
    status: 200,
    error: null,
    stream: false,
    ttft_ms: null,
    duration_ms: 40,
    input_tokens: 10,
    output_tokens: 5,
    cached_tokens: 0,
    reasoning_tokens: 0,
    output_tokens_per_second: null,
    cost_usd: 0.001,
    subscription: false,
    request_bytes: 100,
    response_bytes: 200,
    ...overrides,
  };
}
