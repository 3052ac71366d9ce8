import { randomId, sendJson, startMock } from './common';

export interface MockGitHub {
  url: string;
  /** The user approves the device code in their browser. */
  approve(userCode: string): void;
  /** Copilot token exchanges served so far. */
  readonly exchanges: number;
  /** The chat API base handed out by the token exchange. */
  copilotApi: string;
  close(): Promise<void>;
}

/**
 * GitHub's device flow as it really behaves — errors come back with HTTP 200 and an `error` field —
 * plus `/user` and the Copilot token exchange (`Authorization: token <github token>`).
 */
export async function startMockGitHub(opts: {
  copilotApi: string;
  tokenTtlSeconds?: number;
}): Promise<MockGitHub> {
  const devices = new Map<string, { userCode: string; approved: boolean; polls: number }>();
  const tokens = new Set<string>();
  let exchanges = 0;
  const state = { copilotApi: opts.copilotApi };
  const mock = await startMock((request, res) => {
    const form = new URLSearchParams(request.rawBody);
    if (request.method === 'POST' && request.path === '/login/device/code') {
      const deviceCode = `dc_${randomId()}`;
      const userCode = `${randomId().slice(0, 4)}-${randomId().slice(0, 4)}`.toUpperCase();
      devices.set(deviceCode, { userCode, approved: false, polls: 0 });
      return sendJson(res, 200, {
        device_code: deviceCode,
        user_code: userCode,
        verification_uri: 'https://github.com/login/device',
        expires_in: 900,
        interval: 5,
      });
    }
    if (request.method === 'POST' && request.path === '/login/oauth/access_token') {
      const device = devices.get(form.get('device_code') ?? '');
      if (!device) return sendJson(res, 200, { error: 'bad_verification_code' });
      device.polls++;
      if (device.polls === 2) return sendJson(res, 200, { error: 'slow_down', interval: 10 });
      if (!device.approved) return sendJson(res, 200, { error: 'authorization_pending' });
      const token = `gho_${randomId()}${randomId()}`;
      tokens.add(token);
      return sendJson(res, 200, { access_token: token, token_type: 'bearer', scope: 'read:user' });
    }
    const auth = /^token (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    if (!auth || !tokens.has(auth)) return sendJson(res, 401, { message: 'Bad credentials' });
    if (request.method === 'GET' && request.path === '/copilot_internal/user') {
      return sendJson(res, 200, {
        copilot_plan: 'individual',
        quota_reset_date: '2030-02-01',
        quota_snapshots: {
          chat: { entitlement: 0, remaining: 0, percent_remaining: 100, unlimited: true },
          premium_interactions: { entitlement: 300, remaining: 240, percent_remaining: 80, unlimited: false },
        },
      });
    }
    if (request.method === 'GET' && request.path === '/user')
      return sendJson(res, 200, { login: 'octocat', id: 1 });
    if (request.method === 'GET' && request.path === '/copilot_internal/v2/token') {
      exchanges++;
      const expiresAt = Math.floor(Date.now() / 1000) + (opts.tokenTtlSeconds ?? 1800);
      return sendJson(res, 200, {
        token: `tid=${randomId()};exp=${expiresAt};sku=copilot_individual:mac`,
        expires_at: expiresAt,
        refresh_in: 1500,
        endpoints: { api: state.copilotApi },
      });
    }
    return sendJson(res, 404, { message: 'Not Found' });
  });
  return {
    url: mock.url,
    approve(userCode: string) {
      for (const device of devices.values()) if (device.userCode === userCode) device.approved = true;
    },
    get exchanges() {
      return exchanges;
    },
    get copilotApi() {
      return state.copilotApi;
    },
    set copilotApi(value: string) {
      state.copilotApi = value;
    },
    close: () => mock.close(),
  };
}
