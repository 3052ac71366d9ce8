import { requestVia } from '../engine/upstream/http';
import { TokenEndpointError, type TokenSet } from './oauth/client';
import { DeviceLoginError, pollDelay } from './oauth/device-login';

/**
 * AWS Builder ID sign-in through SSO-OIDC (client/register → device_authorization → token). The
 * API speaks JSON with camelCase fields rather than RFC 6749 forms, so it is spoken directly here.
 */
export const AWS_OIDC = 'https://oidc.us-east-1.amazonaws.com';
export const BUILDER_ID_START_URL = 'https://view.awsapps.com/start';
export const KIRO_SCOPES = [
  'codewhisperer:completions',
  'codewhisperer:analysis',
  'codewhisperer:conversations',
];

type Json = Record<string, unknown>;

async function postJson(
  url: string,
  body: Json,
  proxyUrl: string | undefined,
): Promise<{ status: number; body: Json }> {
  const response = await requestVia(proxyUrl, url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.body.text();
  let parsed: Json = {};
  try {
    parsed = JSON.parse(text) as Json;
  } catch {
    parsed = { error: 'invalid_response', error_description: text.slice(0, 200) };
  }
  return { status: response.statusCode, body: parsed };
}

export interface AwsClient {
  clientId: string;
  clientSecret: string;
}

export interface AwsDeviceLogin {
  userCode: string;
  verificationUri: string;
  expiresAt: number;
  client: AwsClient;
  result: Promise<TokenSet>;
  cancel(): void;
}

export async function startAwsDeviceLogin(options: {
  oidcUrl?: string;
  registerUrl?: string;
  startUrl?: string;
  scopes?: string[];
  intervalMs?: number;
  /** The egress proxy sign-in calls go through. */
  proxyUrl?: string | undefined;
}): Promise<AwsDeviceLogin> {
  const base = (options.oidcUrl ?? AWS_OIDC).replace(/\/+$/, '');
  const registered = await postJson(
    options.registerUrl ?? `${base}/client/register`,
    {
      clientName: 'CLIProxy++',
      clientType: 'public',
      scopes: options.scopes ?? KIRO_SCOPES,
    },
    options.proxyUrl,
  );
  const clientId = registered.body.clientId;
  const clientSecret = registered.body.clientSecret;
  if (registered.status >= 400 || typeof clientId !== 'string' || typeof clientSecret !== 'string') {
    throw new Error(`AWS client registration failed (HTTP ${registered.status})`);
  }
  const device = await postJson(
    `${base}/device_authorization`,
    {
      clientId,
      clientSecret,
      startUrl: options.startUrl ?? BUILDER_ID_START_URL,
    },
    options.proxyUrl,
  );
  const b = device.body;
  if (device.status >= 400 || typeof b.deviceCode !== 'string' || typeof b.userCode !== 'string') {
    throw new Error(`AWS device authorization failed (HTTP ${device.status})`);
  }
  const expiresAt = Date.now() + Number(b.expiresIn ?? 600) * 1000;
  let interval = options.intervalMs ?? Number(b.interval ?? 5) * 1000;
  const controller = new AbortController();
  const sleep = (ms: number) => pollDelay(ms, controller.signal);
  const poll = async (): Promise<TokenSet> => {
    for (;;) {
      await sleep(interval);
      if (Date.now() >= expiresAt)
        throw new DeviceLoginError('expired', 'the code expired before it was approved');
      const answer = await postJson(
        `${base}/token`,
        {
          clientId,
          clientSecret,
          grantType: 'urn:ietf:params:oauth:grant-type:device_code',
          deviceCode: b.deviceCode,
        },
        options.proxyUrl,
      );
      if (answer.status < 400 && typeof answer.body.accessToken === 'string') return awsTokens(answer.body);
      const error = String(answer.body.error ?? '');
      if (error === 'authorization_pending' || error === 'AuthorizationPendingException') continue;
      if (error === 'slow_down' || error === 'SlowDownException') {
        interval += 5_000;
        continue;
      }
      if (error === 'expired_token' || error === 'ExpiredTokenException')
        throw new DeviceLoginError('expired', 'the code expired');
      if (error === 'access_denied' || error === 'AccessDeniedException')
        throw new DeviceLoginError('denied', 'the sign-in was denied');
      throw new DeviceLoginError('failed', `sign-in failed: ${error || `HTTP ${answer.status}`}`);
    }
  };
  const result = poll();
  result.catch(() => undefined);
  return {
    userCode: b.userCode,
    verificationUri: String(b.verificationUriComplete ?? b.verificationUri ?? ''),
    expiresAt,
    client: { clientId, clientSecret },
    result,
    cancel: () => controller.abort(),
  };
}

function awsTokens(body: Json): TokenSet {
  return {
    access_token: String(body.accessToken),
    ...(typeof body.refreshToken === 'string' ? { refresh_token: body.refreshToken } : {}),
    ...(typeof body.expiresIn === 'number' ? { expires_at: Date.now() + body.expiresIn * 1000 } : {}),
  };
}

export async function refreshAwsTokens(
  oidcUrl: string | undefined,
  client: AwsClient,
  refreshToken: string,
  proxyUrl?: string,
): Promise<TokenSet> {
  const base = (oidcUrl ?? AWS_OIDC).replace(/\/+$/, '');
  const answer = await postJson(
    `${base}/token`,
    { ...client, grantType: 'refresh_token', refreshToken },
    proxyUrl,
  );
  if (answer.status >= 400 || typeof answer.body.accessToken !== 'string') {
    throw new TokenEndpointError(
      `${String(answer.body.error ?? 'refresh failed')} (HTTP ${answer.status})`,
      answer.status,
    );
  }
  const tokens = awsTokens(answer.body);
  return tokens.refresh_token ? tokens : { ...tokens, refresh_token: refreshToken };
}
