import * as oauth from 'oauth4webapi';

/** Where a provider's OAuth endpoints are; every URL is overridable in config so tests use loopback. */
export interface OAuthEndpoints {
  /** Used to check the `iss` of responses; defaults to the token URL's origin. */
  issuer?: string;
  authorizeUrl?: string;
  tokenUrl: string;
  deviceCodeUrl?: string;
}

export interface OAuthClientConfig {
  clientId: string;
  clientSecret?: string;
  scopes: string[];
}

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  token_type?: string;
  /** Epoch milliseconds. */
  expires_at?: number;
  scope?: string;
  /** Claims of the id token when one came (email, account ids), unverified beyond oauth4webapi's checks. */
  claims?: Record<string, unknown>;
}

export function authorizationServer(endpoints: OAuthEndpoints): oauth.AuthorizationServer {
  return {
    issuer: endpoints.issuer ?? new URL(endpoints.tokenUrl).origin,
    authorization_endpoint: endpoints.authorizeUrl,
    token_endpoint: endpoints.tokenUrl,
    device_authorization_endpoint: endpoints.deviceCodeUrl,
  };
}

export function oauthClient(config: OAuthClientConfig): { client: oauth.Client; auth: oauth.ClientAuth } {
  return {
    client: { client_id: config.clientId },
    auth: config.clientSecret ? oauth.ClientSecretPost(config.clientSecret) : oauth.None(),
  };
}

/** Plain http is allowed only to loopback (tests, local servers); real providers are https. */
export function requestOptions(url: string, customFetch?: typeof fetch): Record<symbol, unknown> {
  const { hostname, protocol } = new URL(url);
  const loopback = hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
  return {
    ...(protocol === 'http:' && loopback ? { [oauth.allowInsecureRequests]: true } : {}),
    ...(customFetch ? { [oauth.customFetch]: customFetch } : {}),
  };
}

export function toTokenSet(response: oauth.TokenEndpointResponse, now = Date.now()): TokenSet {
  const claims = oauth.getValidatedIdTokenClaims(response);
  return {
    access_token: response.access_token,
    ...(response.refresh_token ? { refresh_token: response.refresh_token } : {}),
    ...(response.id_token ? { id_token: response.id_token } : {}),
    ...(response.token_type ? { token_type: response.token_type } : {}),
    ...(typeof response.expires_in === 'number' ? { expires_at: now + response.expires_in * 1000 } : {}),
    ...(response.scope ? { scope: response.scope } : {}),
    ...(claims ? { claims: { ...claims } } : {}),
  };
}

/** An OAuth error in words a user can act on (never containing tokens). */
export function describeOAuthError(error: unknown): string {
  if (error instanceof oauth.ResponseBodyError) {
    return `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
  }
  if (error instanceof oauth.AuthorizationResponseError) {
    return `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
  }
  return (error as Error).message ?? String(error);
}

/** The HTTP status a token endpoint answered with, when the error carries one. */
function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  if (typeof status === 'number') return status; // oauth4webapi's body and challenge errors, TokenEndpointError
  const cause = (error as { cause?: { status?: unknown } } | undefined)?.cause;
  return typeof cause?.status === 'number' ? cause.status : undefined; // a non-conform answer (a Response)
}

/**
 * Whether a token endpoint refused the refresh itself (a 4xx such as invalid_grant: the user must sign
 * in again), as opposed to a passing failure: no network, a timeout, a 5xx or 429. Only a refusal
 * may mark the account as needing a sign-in; a laptop waking up offline must not.
 */
export function refreshRefused(error: unknown): boolean {
  const status = statusOf(error);
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** A token endpoint answered with an error status (for clients that do not use oauth4webapi). */
export class TokenEndpointError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}
