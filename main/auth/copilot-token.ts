import { requestVia } from '../engine/upstream/http';

/** The editor identity Copilot's API expects, as the VS Code Copilot Chat extension sends it. */
export const COPILOT_EDITOR_HEADERS = {
  'editor-version': 'vscode/1.107.0',
  'editor-plugin-version': 'copilot-chat/0.35.0',
  'user-agent': 'GitHubCopilotChat/0.35.0',
  'copilot-integration-id': 'vscode-chat',
};

export const COPILOT_TOKEN_URL = 'https://api.github.com/copilot_internal/v2/token';
const RENEW_AHEAD_MS = 5 * 60_000;

export interface CopilotSession {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** The chat API base the exchange names (business and enterprise plans differ). */
  apiBase?: string;
}

/**
 * Exchanges a GitHub token for a short-lived Copilot token. Copilot tokens live in memory only and
 * are renewed about five minutes before they expire; concurrent callers share one exchange.
 */
export class CopilotTokens {
  private readonly sessions = new Map<string, CopilotSession>();
  private readonly pending = new Map<string, Promise<CopilotSession>>();

  constructor(private readonly now: () => number = Date.now) {}

  get(
    account: string,
    githubToken: string,
    exchangeUrl = COPILOT_TOKEN_URL,
    proxyUrl?: string,
  ): Promise<CopilotSession> {
    const cached = this.sessions.get(account);
    if (cached && cached.expiresAt - this.now() > RENEW_AHEAD_MS) return Promise.resolve(cached);
    const running = this.pending.get(account);
    if (running) return running;
    const task = this.exchange(githubToken, exchangeUrl, proxyUrl)
      .then((session) => {
        this.sessions.set(account, session);
        return session;
      })
      .finally(() => this.pending.delete(account));
    this.pending.set(account, task);
    return task;
  }

  forget(account: string): void {
    this.sessions.delete(account);
  }

  private async exchange(
    githubToken: string,
    url: string,
    proxyUrl: string | undefined,
  ): Promise<CopilotSession> {
    const response = await requestVia(proxyUrl, url, {
      method: 'GET',
      headers: {
        ...COPILOT_EDITOR_HEADERS,
        authorization: `token ${githubToken}`,
        accept: 'application/json',
      },
    });
    const text = await response.body.text();
    if (response.statusCode >= 400) {
      throw new Error(
        response.statusCode === 401 || response.statusCode === 403 || response.statusCode === 404
          ? `this GitHub account has no Copilot access (HTTP ${response.statusCode})`
          : `Copilot token exchange failed (HTTP ${response.statusCode})`,
      );
    }
    const body = JSON.parse(text) as { token?: unknown; expires_at?: unknown; endpoints?: { api?: unknown } };
    if (typeof body.token !== 'string' || typeof body.expires_at !== 'number') {
      throw new Error('Copilot token exchange answered without token/expires_at');
    }
    return {
      token: body.token,
      expiresAt: body.expires_at * 1000,
      ...(typeof body.endpoints?.api === 'string' ? { apiBase: body.endpoints.api } : {}),
    };
  }
}
