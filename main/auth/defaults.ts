import type { ProviderType } from '../config/schema';

/**
 * The public OAuth clients of the official CLIs, as printed in their open sources (checked
 * 2026-11). Every value is overridable per provider entry under `oauth:` in config.yaml.
 */
export interface OAuthDefaults {
  flow: 'browser' | 'device';
  authorizeUrl?: string;
  tokenUrl: string;
  deviceCodeUrl?: string;
  clientId: string;
  /** Public "secret" some installed-app clients carry (Google); not a secret in any real sense. */
  clientSecret?: string;
  scopes: string[];
  redirectPort?: number;
  redirectPath?: string;
  extraAuthorizeParams?: Record<string, string>;
  /** Where to read the user's name when no id token names them. */
  userUrl?: string;
  /** GitHub answers OAuth errors with HTTP 200 (see oauth/github-fetch.ts). */
  githubQuirks?: boolean;
}

export const OAUTH_DEFAULTS: Partial<Record<ProviderType, OAuthDefaults>> = {
  claude: {
    flow: 'browser',
    authorizeUrl: 'https://claude.ai/oauth/authorize',
    tokenUrl: 'https://console.anthropic.com/v1/oauth/token',
    clientId: '9d1c250a-e61b-44d9-88ed-5944d1962f5e',
    scopes: ['org:create_api_key', 'user:profile', 'user:inference'],
    redirectPort: 54545,
    redirectPath: '/callback',
    extraAuthorizeParams: { code: 'true' },
  },
  codex: {
    flow: 'browser',
    authorizeUrl: 'https://auth.openai.com/oauth/authorize',
    tokenUrl: 'https://auth.openai.com/oauth/token',
    clientId: 'app_EMoamEEZ73f0CkXaXp7hrann',
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    redirectPort: 1455,
    redirectPath: '/auth/callback',
    extraAuthorizeParams: { id_token_add_organizations: 'true', codex_cli_simplified_flow: 'true' },
  },
  gemini_cli: {
    flow: 'browser',
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    clientId: '681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com',
    clientSecret: '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',
    scopes: [
      'https://www.googleapis.com/auth/cloud-platform',
      'https://www.googleapis.com/auth/userinfo.email',
      'https://www.googleapis.com/auth/userinfo.profile',
    ],
    redirectPort: 8085,
    redirectPath: '/oauth2callback',
    extraAuthorizeParams: { access_type: 'offline', prompt: 'consent' },
  },
  copilot: {
    flow: 'device',
    tokenUrl: 'https://github.com/login/oauth/access_token',
    deviceCodeUrl: 'https://github.com/login/device/code',
    clientId: 'Iv1.b507a08c87ecfe98',
    scopes: ['read:user'],
    userUrl: 'https://api.github.com/user',
    githubQuirks: true,
  },
};
