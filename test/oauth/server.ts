import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import Provider, { type Configuration } from 'oidc-provider';

export interface TestOAuthServer {
  issuer: string;
  authorizeUrl: string;
  tokenUrl: string;
  deviceCodeUrl: string;
  clientId: string;
  /** Counts token-endpoint calls by grant type (refresh single-flight tests). */
  grants: Record<string, number>;
  provider: Provider;
  close(): Promise<void>;
}

/**
 * A real OAuth 2 / OIDC server on loopback (oidc-provider): authorization code with PKCE (S256
 * required), device authorization (RFC 8628) and refresh tokens, for a public native client.
 * Its dev login pages accept any user name; tests drive them like a browser would.
 */
export async function startOAuthServer(
  opts: { accessTokenTtl?: number; deviceCodeTtl?: number; slowDownOnSecondPoll?: boolean } = {},
): Promise<TestOAuthServer> {
  const http: Server = createServer();
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'cli-public';
  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
        response_types: ['code'],
        redirect_uris: [
          'http://127.0.0.1/callback',
          'http://localhost/callback',
          'cliproxy://oauth/callback',
        ],
      },
    ],
    pkce: { required: () => true },
    features: {
      deviceFlow: { enabled: true },
      devInteractions: { enabled: true },
      revocation: { enabled: true },
    },
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    // The ChatGPT-style claim lets Codex sign-ins be tested: its account id rides in the id token.
    claims: { openid: ['sub', 'https://api.openai.com/auth'], email: ['email'], profile: ['name'] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({
        sub: id,
        email: `${id}@example.com`,
        name: id,
        'https://api.openai.com/auth': { chatgpt_account_id: `acct-${id}`, chatgpt_plan_type: 'plus' },
      }),
    }),
    // Put email in the id token, as Google and the other real providers do.
    conformIdTokenClaims: false,
    issueRefreshToken: () => true,
    ttl: { AccessToken: opts.accessTokenTtl ?? 3600, DeviceCode: opts.deviceCodeTtl ?? 600 },
    cookies: { keys: ['test-cookie-key'] },
    loadExistingGrant: async (ctx) => {
      // Auto-consent: a grant covering what the client asked for, so tests need no consent page.
      const grantId =
        ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client?.clientId ?? '');
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client?.clientId ?? '',
        accountId: ctx.oidc.session?.accountId ?? '',
      });
      grant.addOIDCScope('openid offline_access email profile');
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  provider.proxy = false;
  const grants: Record<string, number> = {};
  provider.on('grant.success', (ctx) => {
    const type = String((ctx.oidc.params as Record<string, unknown> | undefined)?.grant_type ?? 'unknown');
    grants[type] = (grants[type] ?? 0) + 1;
  });
  const callback = provider.callback();
  let devicePolls = 0;
  http.on('request', (req, res) => {
    // oidc-provider never asks clients to slow down; inject one `slow_down` answer on the second
    // device-code poll so the client's RFC 8628 handling is exercised against a real exchange.
    if (req.method === 'POST' && req.url === '/token' && opts.slowDownOnSecondPoll) {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        if (
          new URLSearchParams(body.toString()).get('grant_type')?.endsWith('device_code') &&
          ++devicePolls === 2
        ) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'slow_down', error_description: 'poll less often' }));
          return;
        }
        const replay = Object.assign(Readable.from([body]), {
          method: req.method,
          url: req.url,
          headers: req.headers,
          socket: req.socket,
          connection: req.socket,
          httpVersion: req.httpVersion,
        });
        callback(replay as unknown as typeof req, res);
      });
      return;
    }
    callback(req, res);
  });
  const sockets = new Set<Socket>();
  http.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return {
    issuer,
    authorizeUrl: `${issuer}/auth`,
    tokenUrl: `${issuer}/token`,
    deviceCodeUrl: `${issuer}/device/auth`,
    clientId,
    grants,
    provider,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
