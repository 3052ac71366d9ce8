import type { ProviderConfig } from '../config/schema';

/** What a provider's id token says that requests need later (ChatGPT's account id and plan). */
export function accountMetadata(
  provider: ProviderConfig,
  claims: Record<string, unknown>,
): Record<string, string> {
  if (provider.type !== 'codex') return {};
  const auth = claims['https://api.openai.com/auth'];
  const info = typeof auth === 'object' && auth !== null ? (auth as Record<string, unknown>) : {};
  return {
    ...(typeof info.chatgpt_account_id === 'string' ? { account_id: info.chatgpt_account_id } : {}),
    ...(typeof info.chatgpt_plan_type === 'string' ? { plan: info.chatgpt_plan_type } : {}),
  };
}

/** GitHub-style `GET /user` for providers whose tokens do not say who signed in. */
export async function fetchUserName(
  url: string,
  token: string,
  fetchVia: typeof fetch = fetch,
): Promise<string | undefined> {
  try {
    const response = await fetchVia(url, {
      headers: { authorization: `token ${token}`, accept: 'application/json' },
    });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { login?: unknown; email?: unknown };
    return typeof body.login === 'string'
      ? body.login
      : typeof body.email === 'string'
        ? body.email
        : undefined;
  } catch {
    return undefined;
  }
}
