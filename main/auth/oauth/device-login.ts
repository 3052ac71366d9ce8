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

export interface DeviceLoginOptions {
  endpoints: OAuthEndpoints;
  client: OAuthClientConfig;
  /** For servers with quirks (GitHub answers errors with HTTP 200); see github-fetch.ts. */
  customFetch?: typeof fetch;
  /** Overrides the server's polling interval (tests). */
  intervalMs?: number;
  /** How much each `slow_down` adds to the interval; RFC 8628 says 5 s. */
  slowDownStepMs?: number;
}

export interface DeviceLogin {
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  result: Promise<TokenSet>;
  cancel(): void;
}

/** Waits between polls; a cancelled login rejects at once instead of sleeping on. */
export function pollDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DeviceLoginError('cancelled', 'cancelled'));
    });
  });
}

export class DeviceLoginError extends Error {
  constructor(
    readonly reason: 'expired' | 'denied' | 'cancelled' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'DeviceLoginError';
  }
}

/**
 * RFC 8628: asks for a device code, then polls the token endpoint at the server's interval,
 * slowing down by 5 s on `slow_down`, until the user approves, denies, or the code expires.
 */
export async function startDeviceLogin(options: DeviceLoginOptions): Promise<DeviceLogin> {
  const as = authorizationServer(options.endpoints);
  const client = { client_id: options.client.clientId };
  const auth = options.client.clientSecret
    ? oauth.ClientSecretPost(options.client.clientSecret)
    : oauth.None();
  const deviceUrl = options.endpoints.deviceCodeUrl;
  if (!deviceUrl) throw new Error('no device code URL configured');
  const initial = await oauth.deviceAuthorizationRequest(
    as,
    client,
    auth,
    new URLSearchParams({ scope: options.client.scopes.join(' ') }),
    requestOptions(deviceUrl, options.customFetch),
  );
  const device = await oauth.processDeviceAuthorizationResponse(as, client, initial);
  const expiresAt = Date.now() + device.expires_in * 1000;
  let intervalMs = options.intervalMs ?? (device.interval ?? 5) * 1000;
  const controller = new AbortController();

  const sleep = (ms: number) => pollDelay(ms, controller.signal);

  const poll = async (): Promise<TokenSet> => {
    for (;;) {
      await sleep(intervalMs);
      if (Date.now() >= expiresAt)
        throw new DeviceLoginError('expired', 'the code expired before it was approved');
      try {
        const response = await oauth.deviceCodeGrantRequest(
          as,
          client,
          auth,
          device.device_code,
          requestOptions(options.endpoints.tokenUrl, options.customFetch),
        );
        return toTokenSet(await oauth.processDeviceCodeResponse(as, client, response));
      } catch (error) {
        if (controller.signal.aborted) throw new DeviceLoginError('cancelled', 'cancelled');
        if (error instanceof oauth.ResponseBodyError) {
          if (error.error === 'authorization_pending') continue;
          if (error.error === 'slow_down') {
            intervalMs += options.slowDownStepMs ?? 5_000;
            continue;
          }
          if (error.error === 'expired_token')
            throw new DeviceLoginError('expired', 'the code expired before it was approved');
          if (error.error === 'access_denied') throw new DeviceLoginError('denied', 'the sign-in was denied');
        }
        throw new DeviceLoginError('failed', `sign-in failed: ${describeOAuthError(error)}`);
      }
    }
  };

  const result = poll();
  result.catch(() => undefined);
  return {
    userCode: device.user_code,
    verificationUri: device.verification_uri,
    ...(device.verification_uri_complete
      ? { verificationUriComplete: device.verification_uri_complete }
      : {}),
    expiresAt,
    result,
    cancel: () => controller.abort(),
  };
}
