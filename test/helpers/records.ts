import type { RequestRecord } from '../../shared/records';

let count = 0;

/** A complete, successful request record (one upstream attempt); override what a test is about. */
export function sampleRecord(overrides: Partial<RequestRecord> = {}): RequestRecord {
  count++;
  return {
    id: `r${count}`,
    started_at: 1_700_000_000_000 + count * 1000,
    client_key: 'laptop',
    inbound_format: 'openai-chat',
    model: 'mini',
    resolved_model: 'gpt-4o-mini',
    provider: 'p',
    account: 'p',
    attempts: [{ provider: 'p', account: 'p', status: 200, reason: 'ok', duration_ms: 10 }],
    status: 200,
    error: null,
    stream: false,
    ttft_ms: 5,
    duration_ms: 100,
    input_tokens: 10,
    output_tokens: 20,
    cached_tokens: 0,
    reasoning_tokens: 0,
    output_tokens_per_second: 200,
    cost_usd: 0.001,
    subscription: false,
    request_bytes: 100,
    response_bytes: 200,
    ...overrides,
  };
}
