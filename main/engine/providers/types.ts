import type { IncomingHttpHeaders } from 'node:http';
import type { QuotaWindow } from '../../../shared/status';
import type { ProviderConfig, ProviderType } from '../../config/schema';
import type { FormatId } from '../formats/ir';

/** What authenticates one attempt: the provider's API key, or a signed-in account's access token. */
export type Credential =
  | { kind: 'api_key'; key: string }
  /** baseUrl: where the account's API lives when the provider says so at token time (Copilot). */
  | {
      kind: 'oauth';
      accessToken: string;
      accountId: string;
      baseUrl?: string;
      metadata?: Record<string, string>;
    };

export function apiKeyCredential(provider: ProviderConfig): Credential {
  return { kind: 'api_key', key: provider.api_key ?? '' };
}

export interface TargetCall {
  credential: Credential;
  model: string;
  stream: boolean;
  /** Gemini only: stream as SSE (`alt=sse`) rather than a JSON array. */
  sse: boolean;
  clientHeaders: IncomingHttpHeaders;
  /** The upstream body about to be sent (some providers derive headers from it). */
  body: Record<string, unknown>;
}

export interface UpstreamTarget {
  /** An absolute URL: the joined endpoint's href as is, or a URL a provider added parameters to. */
  url: URL | string;
  headers: Record<string, string>;
}

/** What the router and the UI need to know about a provider type, and how to address it. */
export interface ProviderDescriptor {
  type: ProviderType;
  label: string;
  /** The wire format the upstream speaks. */
  format: FormatId;
  defaultEndpoint?: string;
  /** The upstream only streams (Codex): non-stream clients get the stream aggregated. */
  alwaysStreams?: boolean;
  /** The upstream wraps the format's bodies (Code Assist's {model, project, request} / {response}). */
  envelope?: {
    wrap(
      body: Record<string, unknown>,
      call: { model: string; credential: Credential; provider: ProviderConfig },
    ): Record<string, unknown>;
    unwrap(body: unknown): unknown;
  };
  target(provider: ProviderConfig, call: TargetCall): UpstreamTarget;
  /** Where the provider lists the models an account can use, and how to read the answer. */
  modelList?: {
    target(provider: ProviderConfig, credential: Credential): UpstreamTarget;
    parse(body: unknown): string[];
  };
  /** Where a signed-in account's quota windows can be read, and how. */
  quota?: {
    /** accountToken: the signed-in account's own token (Copilot's usage wants the GitHub one). */
    target(
      provider: ProviderConfig,
      credential: Credential,
      accountToken?: string,
    ): UpstreamTarget | undefined;
    parse(body: unknown): QuotaWindow[];
  };
  /** A cheap authenticated GET that proves the provider answers (its models list). */
  healthTarget(provider: ProviderConfig): UpstreamTarget;
}

// Joined once per base and path: every request asks again, and parsing a URL costs about a
// microsecond. Providers that add query parameters parse the href they get into a URL of their own.
const joinedEndpoints = new Map<string, string>();
const MAX_JOINED_ENDPOINTS = 256;

/**
 * Joins the configured base URL and the provider's standard path. A base that already ends with
 * the path's first segment (`https://host/v1` + `/v1/chat/completions`) is not doubled: people
 * copy base URLs with and without `/v1` and both should work.
 */
export function joinEndpoint(base: string, path: string): string {
  const key = `${base} ${path}`;
  let href = joinedEndpoints.get(key);
  if (href === undefined) {
    const url = new URL(base);
    const basePath = url.pathname.replace(/\/+$/, '');
    const firstSegment = path.split('/')[1] ?? '';
    const rest =
      firstSegment && basePath.endsWith(`/${firstSegment}`) ? path.slice(firstSegment.length + 1) : path;
    url.pathname = `${basePath}${rest}`;
    href = url.href;
    if (joinedEndpoints.size >= MAX_JOINED_ENDPOINTS) joinedEndpoints.clear();
    joinedEndpoints.set(key, href);
  }
  return href;
}
