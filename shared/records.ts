/** One client request as the usage log keeps it (the management API's contract: snake_case). */
export interface AttemptRecord {
  provider: string;
  account: string;
  /** Upstream HTTP status; null when no answer came. */
  status: number | null;
  reason: string;
  duration_ms: number;
}

/** A request the engine has begun to serve; its RequestRecord, with the same id, follows when it ends. */
export interface RequestStarted {
  id: string;
  /** Epoch milliseconds. */
  started_at: number;
  client_key: string | null;
  inbound_format: string;
  model: string;
  stream: boolean;
}

export interface RequestRecord {
  id: string;
  /** Epoch milliseconds. */
  started_at: number;
  client_key: string | null;
  inbound_format: string;
  /** The model the client asked for. */
  model: string;
  resolved_model: string | null;
  provider: string | null;
  account: string | null;
  attempts: AttemptRecord[];
  status: number;
  error: string | null;
  stream: boolean;
  ttft_ms: number | null;
  duration_ms: number;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  output_tokens_per_second: number | null;
  /** What the request would cost at API prices; for subscription accounts that is what was saved. */
  cost_usd: number;
  /** Served by a signed-in subscription account rather than an API key. */
  subscription: boolean;
  request_bytes: number;
  response_bytes: number;
}

/** What `log_bodies` kept of one request: both bodies as text, secrets redacted, each capped. */
export interface RequestBodies {
  id: string;
  /** The client's request body; null when it had none. */
  request: string | null;
  /** The body the client received (every streamed event, as sent); null when none was sent. */
  response: string | null;
  /** Whether a body was longer than `log_body_max_bytes` and cut there. */
  request_truncated: boolean;
  response_truncated: boolean;
}

export type UsageBucket = 'minute' | 'hour' | 'day';
export type UsageGroup = 'model' | 'provider' | 'account' | 'client_key';

export interface UsagePoint {
  /** Bucket start, epoch milliseconds. */
  t: number;
  group: string;
  requests: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  /** Of cost_usd, the part served by subscriptions (what API keys would have cost). */
  saved_usd: number;
  p50_ms: number;
  p95_ms: number;
}
