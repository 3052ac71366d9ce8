import type { IncomingHttpHeaders } from 'node:http';
import type { ProviderConfig } from '../config/schema';
import type { Logger } from '../log';
import type { FormatId, IRError, Usage } from './formats/ir';
import type { Credential } from './providers/types';
import type { CooldownBook } from './routing/cooldowns';
import type { ModelRoute } from './routing/registry';
import type { Selector } from './routing/selector';
import type { TokenBucket } from './upstream/token-bucket';

/** One client request as the routes hand it to the pipeline. */
export interface InboundCall {
  format: FormatId;
  body: Record<string, unknown>;
  /** The model the client asked for (alias or name). */
  model: string;
  stream: boolean;
  /** Gemini streams: SSE with `alt=sse`, else a streamed JSON array. Always true for other formats. */
  sse: boolean;
  clientHeaders: IncomingHttpHeaders;
  /**
   * The body's bytes as the client sent them: a same-format attempt that changes nothing in the body
   * forwards these instead of serializing it again.
   */
  raw?: Buffer;
}

/** One try against one account, for the request log. */
export interface Attempt {
  provider: string;
  account: string;
  /** Upstream HTTP status; null when no answer came (refused, reset, timeout, local rate limit). */
  status: number | null;
  reason: string;
  durationMs: number;
}

/** What relaying a successful upstream answer produced. */
export interface RelayResult {
  status: number;
  usage?: Usage;
  /** Set when the stream broke after the answer started. */
  error?: IRError;
  /**
   * The answer could not be used, and nothing reached the client: a 200 carrying an error (see
   * errorInAnswer), or a body that broke off, stalled or was not an answer. The attempt counts as
   * failed with this error, and the call may fail over to another account.
   */
  unusable?: IRError;
}

/** What happened, for logs now and for the request record later. */
export interface CallOutcome {
  status: number;
  usage?: Usage;
  error?: IRError;
  provider?: string;
  account?: string;
  upstreamModel?: string;
  /** The serving account is a signed-in subscription, not an API key. */
  subscription?: boolean;
  translated: boolean;
  attempts: Attempt[];
}

/** An account's credential could not be produced (refresh failed, signed out): try another account. */
export class CredentialError extends Error {
  override name = 'CredentialError';
  constructor(
    message: string,
    /** The sign-in is still good, the token endpoint just could not be reached: a short cooldown. */
    readonly transient = false,
  ) {
    super(message);
  }
}

/** Who can serve a provider entry and how each authenticates (API key, or signed-in accounts). */
export interface AccountSource {
  /** Account ids that may serve the provider now: its API key, or its active signed-in accounts. */
  accountsFor(provider: ProviderConfig): string[];
  /**
   * The credential for one attempt; refreshes a token that is about to expire. An API key comes back
   * as is, without a promise (the hot path of every API-key request).
   */
  credential(provider: ProviderConfig, account: string): Credential | Promise<Credential>;
  /**
   * After a 401: refreshes the account's token once; false when that is not possible. Throws a
   * transient CredentialError when the token endpoint could not be reached for now.
   */
  recover(provider: ProviderConfig, account: string): Promise<boolean>;
}

/** State that outlives a config reload: who is cooling down, whose turn it is, rate buckets. */
export interface RoutingState {
  book: CooldownBook;
  selector: Selector;
  accounts: AccountSource;
  bucket(provider: string, rate: number | undefined, burst: number | undefined): TokenBucket | undefined;
  /** Keeps the quota windows an upstream answer's rate-limit headers reveal for the account. */
  recordQuota(
    provider: string,
    account: string,
    headers: Record<string, string | string[] | undefined>,
  ): void;
}

export interface PipelineDeps {
  logger: Logger;
  /** Every upstream call in flight, so shutdown can abort what does not finish in time. */
  inflight: Set<AbortController>;
  routing: RoutingState;
  /** Scrubs known secrets from text that leaves the engine (error messages echo upstream bodies). */
  redact(text: string): string;
}

export interface RoutedCall extends InboundCall {
  route: ModelRoute;
  account: string;
  signal: AbortSignal;
}
