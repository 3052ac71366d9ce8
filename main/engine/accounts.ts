import { CopilotTokens } from '../auth/copilot-token';
import type { AuthManager } from '../auth/manager';
import { RefreshUnavailableError } from '../auth/refresh-unavailable';
import type { ProviderConfig } from '../config/schema';
import { type AccountSource, CredentialError } from './call';
import { apiKeyCredential, type Credential } from './providers/types';

/**
 * API-key providers are one account named after the provider; OAuth and device-flow providers
 * serve through every active signed-in account of that provider entry.
 */
export function createAccountSource(
  auth: AuthManager | undefined,
  copilot = new CopilotTokens(),
): AccountSource {
  return {
    accountsFor(provider: ProviderConfig) {
      if (provider.auth_type === 'api_key') return [provider.name];
      return auth ? auth.activeAccounts(provider.name).map((a) => a.id) : [];
    },
    credential(provider, account) {
      // Nothing to look up for an API key: no promise on every request of an API-key provider.
      if (provider.auth_type === 'api_key') return apiKeyCredential(provider);
      return signedInCredential(auth, copilot, provider, account);
    },
    async recover(provider, account) {
      if (provider.auth_type === 'api_key' || !auth) return false;
      try {
        copilot.forget(account);
        // GitHub tokens do not expire and carry no refresh token: a fresh exchange is the recovery.
        if (provider.type !== 'copilot') await auth.refresh(account);
        return true;
      } catch (error) {
        // The token endpoint could not be reached: a short cooldown, not the 401's half hour.
        if (error instanceof RefreshUnavailableError) throw new CredentialError(error.message, true);
        return false;
      }
    },
  };
}

async function signedInCredential(
  auth: AuthManager | undefined,
  copilot: CopilotTokens,
  provider: ProviderConfig,
  account: string,
): Promise<Credential> {
  if (!auth) throw new CredentialError('sign-in is not available in this process');
  try {
    const token = await auth.accessToken(account);
    if (provider.type === 'copilot') {
      // The GitHub token only buys a short-lived Copilot token, kept in memory.
      const session = await copilot.get(
        account,
        token,
        provider.oauth?.token_exchange_url,
        auth.egressFor(provider),
      );
      return {
        kind: 'oauth',
        accessToken: session.token,
        accountId: account,
        ...(session.apiBase ? { baseUrl: session.apiBase } : {}),
      };
    }
    const metadata = auth.account(account)?.metadata;
    return { kind: 'oauth', accessToken: token, accountId: account, ...(metadata ? { metadata } : {}) };
  } catch (error) {
    throw new CredentialError((error as Error).message, error instanceof RefreshUnavailableError);
  }
}
