import type { ProviderType } from '../config/schema';

export type AccountStatus = 'active' | 'needs_login' | 'disabled';

export interface AccountTokens {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  token_type?: string;
  /** Epoch milliseconds when access_token expires; absent = does not expire. */
  expires_at?: number;
  scope?: string;
  /** AWS SSO-OIDC (Kiro) refreshes with the client it registered at sign-in. */
  client_id?: string;
  client_secret?: string;
}

/** A signed-in subscription account: one JSON file in auth_dir. */
export interface Account {
  /** File-safe id, unique in auth_dir: `<provider>-<identity slug>`. */
  id: string;
  /** The provider entry's `name` in config.yaml this account serves. */
  provider: string;
  type: ProviderType;
  /** Who signed in: email or user name, shown in the UI. */
  identity: string;
  status: AccountStatus;
  /** Why the account is not active (the refresh error, the corrupt file...). */
  status_reason?: string;
  tokens: AccountTokens;
  /** Provider specifics: project_id (Gemini CLI), account_id (ChatGPT), plan, profile_arn (Kiro)... */
  metadata: Record<string, string>;
  created_at: number;
  updated_at: number;
}

/** What the UI and management API may see: everything but the tokens. */
export interface AccountView {
  id: string;
  provider: string;
  type: ProviderType;
  identity: string;
  status: AccountStatus;
  status_reason?: string;
  expires_at?: number;
  metadata: Record<string, string>;
  created_at: number;
  updated_at: number;
}

export function accountView(account: Account): AccountView {
  const { tokens, ...rest } = account;
  return { ...rest, ...(tokens.expires_at !== undefined ? { expires_at: tokens.expires_at } : {}) };
}

export function accountId(provider: string, identity: string): string {
  const slug = identity
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${provider.replace(/[^a-zA-Z0-9_-]+/g, '-')}-${slug || 'account'}`;
}
