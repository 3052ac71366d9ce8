import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { LoginUpdate } from '../../shared/contract';
import type { ProviderConfig } from '../config/schema';
import { egressProxy } from '../engine/upstream/http';
import type { Logger } from '../log';
import { type Account, type AccountView, accountId, accountView } from './account';
import { refreshAwsTokens, startAwsDeviceLogin } from './aws-sso';
import { CODE_ASSIST_ENDPOINT, onboardCodeAssist } from './code-assist';
import { accountMetadata, fetchUserName } from './identity';
import { parseKiroTokenFile } from './kiro-token-file';
import { type LoginSession, type LoginStart, type LoginState, publicStart } from './login-session';
import { describeOAuthError, refreshRefused, type TokenSet } from './oauth/client';
import { startDeviceLogin } from './oauth/device-login';
import { startBrowserLogin } from './oauth/pkce-login';
import { refreshTokens } from './oauth/refresh';
import { resolveOAuth } from './provider-oauth';
import { RefreshUnavailableError } from './refresh-unavailable';
import type { AccountFileProblem, AccountStore } from './store';

/** Refresh this long before expiry, so no request ever carries a token about to die. */
export const REFRESH_AHEAD_MS = 5 * 60_000;

/** The account was removed while its refresh ran: nothing is written back. */
class AccountRemovedError extends Error {
  constructor(id: string) {
    super(`account ${id} was removed while its token was being refreshed`);
  }
}

/** Nothing to refresh with (no refresh token, no OAuth settings): only a new sign-in helps. */
class NotRefreshableError extends Error {}

export interface AuthManagerOptions {
  store: AccountStore;
  providers: () => ProviderConfig[];
  logger: Logger;
  /** Overrides for tests: where the loopback listener binds its redirect host name. */
  redirectHost?: 'localhost' | '127.0.0.1';
  /** Overrides the device-flow polling interval (tests). */
  deviceIntervalMs?: number;
  /** Overrides the Code Assist onboarding poll interval (tests). */
  onboardingPollMs?: number;
  /** Told after every successful sign-in (the engine refreshes that provider's models). */
  onSignedIn?: (account: Account) => void;
  /** The config's egress proxy (proxy_url); sign-ins and refreshes go out through it. */
  proxyUrl?: () => string | undefined;
  now?: () => number;
}

/** Accounts, their tokens' lifecycle (refresh ahead, single-flight, needs_login), and sign-ins. */
export class AuthManager extends EventEmitter<{ loginChanged: [LoginUpdate] }> {
  private readonly refreshing = new Map<string, Promise<Account>>();
  private readonly logins = new Map<string, LoginSession>();
  private readonly now: () => number;

  constructor(private readonly options: AuthManagerOptions) {
    super();
    this.now = options.now ?? Date.now;
  }

  accounts(): AccountView[] {
    return this.options.store.list().map(accountView);
  }

  /** Account files that could not be read, with why (shown in the engine status). */
  fileProblems(): AccountFileProblem[] {
    return this.options.store.problems();
  }

  /** Tests shorten Code Assist's onboarding poll. */
  setOnboardingPollMs(ms: number): void {
    this.options.onboardingPollMs = ms;
  }

  /** The egress proxy a provider's sign-in, refresh and account calls go through, if any. */
  egressFor(provider: ProviderConfig): string | undefined {
    return egressProxy(provider, this.options.proxyUrl?.());
  }

  /** The config entry an account signs in through; undefined once it left the config. */
  providerOf(account: Account): ProviderConfig | undefined {
    return this.options.providers().find((p) => p.name === account.provider);
  }

  account(id: string): Account | undefined {
    return this.options.store.get(id);
  }

  /** Active accounts serving a provider entry, for routing. */
  activeAccounts(provider: string): Account[] {
    return this.options.store.list().filter((a) => a.provider === provider && a.status === 'active');
  }

  /** Changes what requests through an account carry (the Gemini CLI project the user picked). */
  async setMetadata(id: string, patch: Record<string, string>): Promise<AccountView> {
    const updated = await this.options.store.update(id, (current) => ({
      ...current,
      metadata: { ...current.metadata, ...patch },
      updated_at: this.now(),
    }));
    if (!updated) throw new Error(`no account ${id}`);
    return accountView(updated);
  }

  async removeAccount(id: string): Promise<boolean> {
    return this.options.store.remove(id);
  }

  /**
   * The refresh worker's pass: every active account whose token expires within REFRESH_AHEAD_MS is
   * refreshed now, so idle accounts stay signed in and no request waits on a refresh.
   */
  async refreshDue(): Promise<number> {
    const due = this.options.store
      .list()
      .filter((a) => a.status === 'active' && a.tokens.refresh_token && a.tokens.expires_at !== undefined)
      .filter((a) => (a.tokens.expires_at ?? 0) - this.now() <= REFRESH_AHEAD_MS);
    const results = await Promise.allSettled(due.map((a) => this.refresh(a.id)));
    return results.filter((r) => r.status === 'fulfilled').length;
  }

  private worker: NodeJS.Timeout | undefined;

  startRefreshWorker(intervalMs = 60_000): void {
    this.stopRefreshWorker();
    this.worker = setInterval(() => {
      this.refreshDue().catch(() => undefined);
    }, intervalMs);
    this.worker.unref();
  }

  stopRefreshWorker(): void {
    if (this.worker) clearInterval(this.worker);
    this.worker = undefined;
  }

  /** A valid access token, refreshed first when it expires within REFRESH_AHEAD_MS. */
  async accessToken(id: string): Promise<string> {
    const account = this.options.store.get(id);
    if (!account) throw new Error(`no account ${id}`);
    const expiresAt = account.tokens.expires_at;
    if (expiresAt === undefined || expiresAt - this.now() > REFRESH_AHEAD_MS)
      return account.tokens.access_token;
    return (await this.refresh(id)).tokens.access_token;
  }

  /**
   * Refreshes an account's tokens. Concurrent callers share one refresh (single-flight); a failed
   * refresh marks the account needs_login with the reason, and never deletes it.
   */
  refresh(id: string): Promise<Account> {
    const running = this.refreshing.get(id);
    if (running) return running;
    const task = this.doRefresh(id).finally(() => this.refreshing.delete(id));
    this.refreshing.set(id, task);
    return task;
  }

  private async doRefresh(id: string): Promise<Account> {
    const account = this.options.store.get(id);
    if (!account) throw new Error(`no account ${id}`);
    const provider = this.providerOf(account);
    try {
      if (!provider) throw new NotRefreshableError(`provider ${account.provider} is no longer in the config`);
      if (!account.tokens.refresh_token)
        throw new NotRefreshableError('no refresh token stored; sign in again');
      const tokens = await this.refreshFor(provider, account);
      // Onto the account as it is now: the user may have removed or disabled it meanwhile.
      const updated = await this.options.store.update(id, (current) => {
        const next: Account = {
          ...current,
          status: current.status === 'disabled' ? 'disabled' : 'active',
          tokens: { ...current.tokens, ...strip(tokens) },
          updated_at: this.now(),
        };
        if (next.status === 'active') delete next.status_reason;
        return next;
      });
      if (!updated) throw new AccountRemovedError(id);
      return updated;
    } catch (error) {
      if (error instanceof AccountRemovedError) throw error;
      if (!(error instanceof NotRefreshableError) && !refreshRefused(error)) {
        // Offline, a timeout, the token endpoint's 5xx: the sign-in is still good, the next try may work.
        const reason = `could not refresh the sign-in for now: ${describeOAuthError(error)}`;
        this.options.logger.warn('token refresh failed; the account stays signed in', {
          account: id,
          reason,
        });
        throw new RefreshUnavailableError(reason);
      }
      const reason = `refresh failed: ${describeOAuthError(error)}`;
      this.options.logger.warn('account needs login', { account: id, reason });
      await this.options.store.update(id, (current) =>
        current.status === 'disabled'
          ? current
          : { ...current, status: 'needs_login', status_reason: reason, updated_at: this.now() },
      );
      throw new Error(reason);
    }
  }

  private refreshFor(provider: ProviderConfig, account: Account): Promise<TokenSet> {
    const refreshToken = account.tokens.refresh_token ?? '';
    if (provider.type === 'kiro') {
      const { client_id: clientId, client_secret: clientSecret } = account.tokens;
      if (!clientId || !clientSecret)
        throw new NotRefreshableError(
          'this Kiro token has no registered client to refresh with; sign in again',
        );
      const oidcUrl = provider.oauth?.token_url ? new URL(provider.oauth.token_url).origin : undefined;
      return refreshAwsTokens(oidcUrl, { clientId, clientSecret }, refreshToken, this.egressFor(provider));
    }
    const oauth = resolveOAuth(provider, this.options.proxyUrl?.());
    if (!oauth) throw new NotRefreshableError(`provider ${provider.name} is not configured for OAuth`);
    return refreshTokens(oauth.endpoints, oauth.client, refreshToken, oauth.customFetch);
  }

  async startLogin(providerName: string): Promise<LoginStart> {
    const provider = this.options.providers().find((p) => p.name === providerName);
    if (!provider) throw new Error(`no provider named ${JSON.stringify(providerName)} in the config`);
    if (provider.type === 'kiro') return this.startKiroLogin(provider);
    const oauth = resolveOAuth(provider, this.options.proxyUrl?.());
    if (!oauth) throw new Error(`provider ${providerName} (type ${provider.type}) has no OAuth sign-in`);
    const id = randomUUID();
    if (oauth.flow === 'device') {
      const login = await startDeviceLogin({
        endpoints: oauth.endpoints,
        client: oauth.client,
        ...(oauth.customFetch ? { customFetch: oauth.customFetch } : {}),
        ...(this.options.deviceIntervalMs ? { intervalMs: this.options.deviceIntervalMs } : {}),
      });
      const session: LoginSession = {
        id,
        kind: 'device',
        provider: providerName,
        user_code: login.userCode,
        verification_uri: login.verificationUriComplete ?? login.verificationUri,
        expires_at: login.expiresAt,
        state: { status: 'pending' },
        cancel: login.cancel,
      };
      return this.follow(session, login.result, (tokens) => this.saveLogin(provider, tokens));
    }
    const login = await startBrowserLogin({
      endpoints: oauth.endpoints,
      client: oauth.client,
      provider: providerName,
      redirectPort: oauth.redirectPort,
      redirectPath: oauth.redirectPath,
      extraParams: oauth.extraParams,
      ...(oauth.appRedirectUri ? { appRedirectUri: oauth.appRedirectUri } : {}),
      ...(this.options.redirectHost ? { redirectHost: this.options.redirectHost } : {}),
      ...(oauth.customFetch ? { customFetch: oauth.customFetch } : {}),
    });
    const session: LoginSession = {
      id,
      kind: 'browser',
      provider: providerName,
      url: login.url,
      expires_at: this.now() + 5 * 60_000,
      state: { status: 'pending' },
      cancel: login.cancel,
      ...(oauth.appRedirectUri ? { appCallback: { state: login.state, complete: login.complete } } : {}),
    };
    return this.follow(session, login.result, (tokens) => this.saveLogin(provider, tokens));
  }

  /**
   * A `cliproxy://oauth/callback?code=…&state=…` the OS handed to the app. Only a pending login
   * started with that state takes it; anything else is refused (false) so the caller logs it.
   */
  async completeAppCallback(callbackUrl: string): Promise<boolean> {
    const url = new URL(callbackUrl);
    const state = url.searchParams.get('state');
    if (!state) return false;
    for (const session of this.logins.values()) {
      if (session.state.status === 'pending' && session.appCallback?.state === state) {
        await session.appCallback.complete(url);
        return true;
      }
    }
    return false;
  }

  /** Gemini CLI accounts need a Code Assist project before they can serve. */
  private async onboard(provider: ProviderConfig, token: string): Promise<Record<string, string>> {
    if (provider.project_id) return { project_id: provider.project_id };
    const result = await onboardCodeAssist(provider.endpoint ?? CODE_ASSIST_ENDPOINT, token, {
      ...(this.options.onboardingPollMs ? { pollMs: this.options.onboardingPollMs } : {}),
      proxyUrl: this.egressFor(provider),
    });
    return {
      ...(result.projectId ? { project_id: result.projectId } : {}),
      ...(result.tier ? { tier: result.tier } : {}),
    };
  }

  private async userName(provider: ProviderConfig, token: string): Promise<string | undefined> {
    const oauth = resolveOAuth(provider, this.options.proxyUrl?.());
    return oauth?.userUrl ? fetchUserName(oauth.userUrl, token, oauth.customFetch) : undefined;
  }

  /** AWS Builder ID through SSO-OIDC's device flow; the registered client is kept for refreshes. */
  private async startKiroLogin(provider: ProviderConfig): Promise<LoginStart> {
    const o = provider.oauth ?? {};
    const oidcUrl = o.token_url ? new URL(o.token_url).origin : undefined;
    const login = await startAwsDeviceLogin({
      ...(oidcUrl ? { oidcUrl } : {}),
      ...(o.register_url ? { registerUrl: o.register_url } : {}),
      ...(o.scopes ? { scopes: o.scopes } : {}),
      ...(this.options.deviceIntervalMs ? { intervalMs: this.options.deviceIntervalMs } : {}),
      proxyUrl: this.egressFor(provider),
    });
    const session: LoginSession = {
      id: randomUUID(),
      kind: 'device',
      provider: provider.name,
      user_code: login.userCode,
      verification_uri: login.verificationUri,
      expires_at: login.expiresAt,
      state: { status: 'pending' },
      cancel: login.cancel,
    };
    return this.follow(session, login.result, (tokens) =>
      this.saveLogin(
        provider,
        { ...tokens, client_id: login.client.clientId, client_secret: login.client.clientSecret },
        'AWS Builder ID',
      ),
    );
  }

  /** Imports a token file Kiro itself wrote (~/.aws/sso/cache/kiro-auth-token.json). */
  async importKiroToken(providerName: string, text: string): Promise<AccountView> {
    const provider = this.options.providers().find((p) => p.name === providerName && p.type === 'kiro');
    if (!provider) throw new Error(`no kiro provider named ${JSON.stringify(providerName)} in the config`);
    const file = parseKiroTokenFile(text);
    const account = await this.saveLogin(provider, file.tokens, file.identity, file.metadata);
    return accountView(account);
  }

  /** Registers a pending login and settles it when its tokens come (or the flow fails). */
  private follow(
    session: LoginSession,
    result: Promise<TokenSet>,
    save: (tokens: TokenSet) => Promise<Account>,
  ): LoginStart {
    this.logins.set(session.id, session);
    result.then(
      async (tokens) => {
        try {
          this.settle(session, { status: 'ok', account: accountView(await save(tokens)) });
        } catch (error) {
          this.settle(session, { status: 'error', error: (error as Error).message });
        }
      },
      (error: Error & { reason?: string }) => {
        if (session.state.status !== 'pending') return;
        this.settle(
          session,
          error.reason === 'expired' || error.reason === 'cancelled'
            ? { status: error.reason }
            : { status: 'error', error: error.message },
        );
      },
    );
    return publicStart(session);
  }

  /** A login's outcome, told to listeners (the window follows it without polling). */
  private settle(session: LoginSession, state: LoginState): void {
    session.state = state;
    this.emit('loginChanged', {
      id: session.id,
      provider: session.provider,
      status: state.status,
      ...(state.error ? { error: state.error } : {}),
      ...(state.account ? { identity: state.account.identity } : {}),
    });
  }

  login(id: string): LoginState | undefined {
    return this.logins.get(id)?.state;
  }

  cancelLogin(id: string): boolean {
    const session = this.logins.get(id);
    if (!session) return false;
    if (session.state.status === 'pending') {
      this.settle(session, { status: 'cancelled' });
      session.cancel();
    }
    return true;
  }

  private async saveLogin(
    provider: ProviderConfig,
    tokens: TokenSet & { client_id?: string; client_secret?: string },
    fixedIdentity?: string,
    extraMetadata: Record<string, string> = {},
  ): Promise<Account> {
    const claims = tokens.claims ?? {};
    const named =
      fixedIdentity ??
      claims.email ??
      claims.preferred_username ??
      (await this.userName(provider, tokens.access_token));
    const identity = String(named ?? claims.sub ?? 'account');
    const id = accountId(provider.name, identity);
    const existing = this.options.store.get(id);
    const onboarding =
      provider.type === 'gemini_cli' ? await this.onboard(provider, tokens.access_token) : {};
    const account: Account = {
      id,
      provider: provider.name,
      type: provider.type,
      identity,
      status: 'active',
      tokens: strip(tokens),
      metadata: {
        ...existing?.metadata,
        ...accountMetadata(provider, claims),
        ...onboarding,
        ...extraMetadata,
      },
      created_at: existing?.created_at ?? this.now(),
      updated_at: this.now(),
    };
    await this.options.store.save(account);
    this.options.logger.info('signed in', { provider: provider.name, account: id });
    this.options.onSignedIn?.(account);
    return account;
  }
}

function strip(tokens: TokenSet): Account['tokens'] {
  const { claims: _claims, ...rest } = tokens;
  return rest;
}
