import * as oauth from 'oauth4webapi';
import {
  authorizationServer,
  type OAuthClientConfig,
  type OAuthEndpoints,
  requestOptions,
  type TokenSet,
  toTokenSet,
} from './client';

/** Exchanges a refresh token; keeps the old refresh token when the server does not rotate it. */
export async function refreshTokens(
  endpoints: OAuthEndpoints,
  clientConfig: OAuthClientConfig,
  refreshToken: string,
  customFetch?: typeof fetch,
): Promise<TokenSet> {
  const as = authorizationServer(endpoints);
  const client = { client_id: clientConfig.clientId };
  const auth = clientConfig.clientSecret ? oauth.ClientSecretPost(clientConfig.clientSecret) : oauth.None();
  const response = await oauth.refreshTokenGrantRequest(
    as,
    client,
    auth,
    refreshToken,
    requestOptions(endpoints.tokenUrl, customFetch),
  );
  const result = await oauth.processRefreshTokenResponse(as, client, response);
  const tokens = toTokenSet(result);
  return tokens.refresh_token ? tokens : { ...tokens, refresh_token: refreshToken };
}
