import { EventEmitter } from 'node:events';
import type { RequestBodies, RequestRecord, RequestStarted } from '../../shared/records';
import type { CallOutcome } from '../engine/call';
import { capText } from './body-capture';
import { LiveCounters } from './live';
import { costUsd, type Price } from './prices';
import type { PrometheusMetrics } from './prometheus';
import { timeOrderedId } from './record-id';
import type { ResponseMeter } from './response-meter';
import type { UsageStore } from './store';

/** The longest model name a usage record keeps. */
const MAX_MODEL_CHARS = 256;

export interface RecordInput {
  /** The id announced by `started`, when the request was announced. */
  id?: string | undefined;
  startedAt: number;
  clientKey: string | undefined;
  inboundFormat: string;
  model: string;
  stream: boolean;
  requestBytes: number;
  meter: ResponseMeter;
  outcome: CallOutcome | undefined;
  /** Status sent when the pipeline never ran (bad body, unknown model...). */
  status: number;
  /** Set with log_bodies: the raw request body (the response's is in the meter's capture). */
  bodies?: { request: unknown; maxBytes: number } | undefined;
}

/** Turns finished requests into records for the store, Prometheus and live listeners. */
export class Recorder extends EventEmitter<{
  requestLogged: [RequestRecord];
  requestStarted: [RequestStarted];
}> {
  readonly live = new LiveCounters();

  constructor(
    private readonly store: UsageStore | undefined,
    private readonly prometheus: PrometheusMetrics | undefined,
    private readonly prices: () => Record<string, Price>,
    /** Scrubs secrets from kept bodies (log_bodies); without it bodies are not kept at all. */
    private readonly redact?: (text: string) => string,
  ) {
    super();
  }

  /** Whether a window watches requests begin; headless, nobody does and nothing is announced. */
  announcing(): boolean {
    return this.listenerCount('requestStarted') > 0;
  }

  /**
   * Announces a request once its model is known, for windows showing what is in flight; returns
   * the id its record will carry.
   */
  started(info: Omit<RequestStarted, 'id'>): string {
    const id = timeOrderedId(info.started_at);
    this.emit('requestStarted', { id, ...info });
    return id;
  }

  record(input: RecordInput): RequestRecord {
    const now = Date.now();
    const outcome = input.outcome;
    const usage = outcome?.usage;
    const resolved = outcome?.upstreamModel ?? null;
    const first = input.meter.firstByteAt();
    const duration = now - input.startedAt;
    const output = usage?.outputTokens ?? 0;
    const generating = first !== undefined ? Math.max(1, now - first) : duration;
    const record: RequestRecord = {
      id: input.id ?? timeOrderedId(now),
      started_at: input.startedAt,
      client_key: input.clientKey ?? null,
      inbound_format: input.inboundFormat,
      // A model name is the client's to choose, of any length: the log keeps enough to recognise it.
      model: input.model.length > MAX_MODEL_CHARS ? `${input.model.slice(0, MAX_MODEL_CHARS)}…` : input.model,
      resolved_model: resolved,
      provider: outcome?.provider ?? null,
      account: outcome?.account ?? null,
      attempts: (outcome?.attempts ?? []).map((a) => ({
        provider: a.provider,
        account: a.account,
        status: a.status,
        reason: a.reason,
        duration_ms: a.durationMs,
      })),
      status:
        outcome?.error && outcome.status < 400 ? outcome.error.status : (outcome?.status ?? input.status),
      error: outcome?.error?.message ?? null,
      stream: input.stream,
      ttft_ms: first !== undefined ? first - input.startedAt : null,
      duration_ms: duration,
      input_tokens: usage?.inputTokens ?? 0,
      output_tokens: output,
      cached_tokens: usage?.cachedInputTokens ?? 0,
      reasoning_tokens: usage?.reasoningTokens ?? 0,
      output_tokens_per_second: output > 0 ? Math.round((output / generating) * 1000 * 100) / 100 : null,
      cost_usd: usage
        ? costUsd(
            resolved ?? input.model,
            { input: usage.inputTokens, output, cached: usage.cachedInputTokens ?? 0 },
            this.prices(),
          )
        : 0,
      subscription: outcome?.subscription === true,
      request_bytes: input.requestBytes,
      response_bytes: input.meter.bytes(),
    };
    this.store?.add(record, this.keptBodies(record.id, input));
    this.prometheus?.observe(record);
    this.live.add(record);
    this.emit('requestLogged', record);
    return record;
  }

  private keptBodies(id: string, input: RecordInput): RequestBodies | undefined {
    if (!input.bodies || !this.redact) return undefined;
    const raw = input.bodies.request;
    const request = Buffer.isBuffer(raw) && raw.length > 0 ? capText(raw, input.bodies.maxBytes) : undefined;
    const response = input.meter.capturedBody();
    return {
      id,
      request: request ? this.redact(request.text) : null,
      response: response ? this.redact(response.text) : null,
      request_truncated: request?.truncated ?? false,
      response_truncated: response?.truncated ?? false,
    };
  }
}
