import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oauth from 'oauth4webapi';
import {
  authorizationServer,
  describeOAuthError,
  type OAuthClientConfig,
  type OAuthEndpoints,
  requestOptions,
  type TokenSet,
  toTokenSet,
} from './client';
import { resultPage } from './pages';

export interface BrowserLoginOptions {
  endpoints: OAuthEndpoints;
  client: OAuthClientConfig;
  /** The provider name, for the success page's link back to the app. */
  provider: string;
  /** The port the provider registered for its loopback redirect (0 = any free port, for tests). */
  redirectPort: number;
  redirectPath: string;
  /** The host name written into redirect_uri; the listener itself always binds 127.0.0.1. */
  redirectHost?: 'localhost' | '127.0.0.1';
  /** Extra authorize parameters some providers require (e.g. `code: true`, `prompt: consent`). */
  extraParams?: Record<string, string>;
  timeoutMs?: number;
  /**
   * A redirect URI the app receives itself (`cliproxy://oauth/callback`, registered with the OS):
   * no loopback listener is opened and the callback arrives through `complete`.
   */
  appRedirectUri?: string;
  /** The fetch the code exchange goes out with (an egress proxy, GitHub's error quirk). */
  customFetch?: typeof fetch;
}

export interface BrowserLogin {
  /** Open this in the system browser. */
  url: string;
  redirectUri: string;
  result: Promise<TokenSet>;
  /** The state this login waits for (a custom-scheme callback must carry it). */
  state: string;
  /** Finishes the login with a callback URL received outside the loopback listener. */
  complete(callbackUrl: URL): Promise<void>;
  cancel(): void;
}

/**
 * Authorization code + PKCE (S256) with a one-shot loopback listener (or the app's own URL scheme):
 * state is checked, the code is exchanged with the verifier, and the listener closes after the
 * first callback or the timeout.
 */
export async function startBrowserLogin(options: BrowserLoginOptions): Promise<BrowserLogin> {
  const as = authorizationServer(options.endpoints);
  const client = { client_id: options.client.clientId };
  const auth = options.client.clientSecret
    ? oauth.ClientSecretPost(options.client.clientSecret)
    : oauth.None();
  const verifier = oauth.generateRandomCodeVerifier();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const state = oauth.generateRandomState();

  let server: Server | undefined;
  let redirectUri = options.appRedirectUri ?? '';
  if (!options.appRedirectUri) {
    server = createServer();
    server.listen(options.redirectPort, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    redirectUri = `http://${options.redirectHost ?? 'localhost'}:${port}${options.redirectPath}`;
  }

  if (!options.endpoints.authorizeUrl) throw new Error('no authorize URL configured');
  const url = new URL(options.endpoints.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', options.client.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', options.client.scopes.join(' '));
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  for (const [key, value] of Object.entries(options.extraParams ?? {})) url.searchParams.set(key, value);

  let settle: { resolve(tokens: TokenSet): void; reject(error: Error): void } | undefined;
  const result = new Promise<TokenSet>((resolve, reject) => {
    settle = { resolve, reject };
  });
  result.catch(() => undefined); // the caller may await it later; an early failure is not unhandled
  const finish = (error?: Error, tokens?: TokenSet) => {
    clearTimeout(timer);
    server?.close();
    server?.closeAllConnections();
    if (error) settle?.reject(error);
    else if (tokens) settle?.resolve(tokens);
    settle = undefined;
  };
  const timer = setTimeout(
    () => finish(new Error('the sign-in timed out; start it again')),
    options.timeoutMs ?? 5 * 60_000,
  );
  timer.unref();

  /** Checks state, exchanges the code with the verifier; the error names what the provider said. */
  const exchange = async (callbackUrl: URL): Promise<TokenSet> => {
    const params = oauth.validateAuthResponse(as, client, callbackUrl, state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      auth,
      params,
      redirectUri,
      verifier,
      requestOptions(options.endpoints.tokenUrl, options.customFetch),
    );
    return toTokenSet(await oauth.processAuthorizationCodeResponse(as, client, response));
  };

  server?.on('request', async (req, res) => {
    const callbackUrl = new URL(req.url ?? '/', redirectUri);
    if (callbackUrl.pathname !== options.redirectPath || !settle) {
      res.writeHead(404).end();
      return;
    }
    try {
      const tokens = await exchange(callbackUrl);
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(resultPage(options.provider, true));
      finish(undefined, tokens);
    } catch (error) {
      const message = describeOAuthError(error);
      res
        .writeHead(400, { 'content-type': 'text/html; charset=utf-8' })
        .end(resultPage(options.provider, false, message));
      finish(new Error(`sign-in failed: ${message}`));
    }
  });

  return {
    url: url.toString(),
    redirectUri,
    result,
    state,
    async complete(callbackUrl) {
      if (!settle) return;
      try {
        finish(undefined, await exchange(callbackUrl));
      } catch (error) {
        finish(new Error(`sign-in failed: ${describeOAuthError(error)}`));
      }
    },
    cancel: () => finish(new Error('cancelled')),
  };
}
