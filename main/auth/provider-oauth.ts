import type { ProviderConfig } from '../config/schema';
import { egressProxy, proxiedFetch } from '../engine/upstream/http';
import { OAUTH_DEFAULTS } from './defaults';
import type { OAuthClientConfig, OAuthEndpoints } from './oauth/client';
import { githubFetch, githubFetchVia } from './oauth/github-fetch';

/** A provider entry's OAuth client: the type's defaults with the entry's `oauth:` overrides. */
export interface ResolvedOAuth {
  flow: 'browser' | 'device';
  endpoints: OAuthEndpoints;
  client: OAuthClientConfig;
  redirectPort: number;
  redirectPath: string;
  /** Set when redirect_uri uses the app's own scheme (cliproxy://…): no loopback listener. */
  appRedirectUri?: string;
  extraParams: Record<string, string>;
  userUrl?: string;
  customFetch?: typeof fetch;
}

/**
 * `globalProxyUrl`: the config's proxy_url; the entry's own proxy_url wins. Token requests then go
 * out through that proxy like the provider's API calls do.
 */
export function resolveOAuth(provider: ProviderConfig, globalProxyUrl?: string): ResolvedOAuth | undefined {
  const defaults = OAUTH_DEFAULTS[provider.type];
  const o = provider.oauth ?? {};
  const tokenUrl = o.token_url ?? defaults?.tokenUrl;
  const clientId = o.client_id ?? defaults?.clientId;
  if (!tokenUrl || !clientId) return undefined;
  const configured = o.redirect_uri ? new URL(o.redirect_uri) : undefined;
  const appRedirectUri =
    configured && !/^https?:$/.test(configured.protocol) ? configured.toString() : undefined;
  const redirect = appRedirectUri ? undefined : configured;
  const flow = provider.auth_type === 'device_flow' ? 'device' : (defaults?.flow ?? 'browser');
  const authorizeUrl = o.authorize_url ?? defaults?.authorizeUrl;
  const deviceCodeUrl = o.device_code_url ?? defaults?.deviceCodeUrl;
  // A default secret belongs to the default client: never send it with an overridden client id.
  const clientSecret = o.client_secret ?? (o.client_id ? undefined : defaults?.clientSecret);
  return {
    flow,
    endpoints: {
      tokenUrl,
      ...(authorizeUrl ? { authorizeUrl } : {}),
      ...(deviceCodeUrl ? { deviceCodeUrl } : {}),
      ...(o.token_url || o.authorize_url ? { issuer: new URL(o.authorize_url ?? tokenUrl).origin } : {}),
    },
    client: {
      clientId,
      scopes: o.scopes ?? defaults?.scopes ?? [],
      ...(clientSecret ? { clientSecret } : {}),
    },
    redirectPort: o.redirect_port ?? (redirect ? Number(redirect.port) : (defaults?.redirectPort ?? 0)),
    redirectPath: redirect?.pathname ?? defaults?.redirectPath ?? '/callback',
    ...(appRedirectUri ? { appRedirectUri } : {}),
    extraParams: defaults?.extraAuthorizeParams ?? {},
    ...((o.user_url ?? defaults?.userUrl) ? { userUrl: o.user_url ?? defaults?.userUrl } : {}),
    ...customFetchFor(egressProxy(provider, globalProxyUrl), defaults?.githubQuirks === true),
  };
}

function customFetchFor(proxyUrl: string | undefined, githubQuirks: boolean): { customFetch?: typeof fetch } {
  const proxied = proxiedFetch(proxyUrl);
  if (githubQuirks) return { customFetch: proxied ? githubFetchVia(proxied) : githubFetch };
  return proxied ? { customFetch: proxied } : {};
}
