const KEY = 'cliproxy.managementSecret';

export interface SecretEnv {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState'>;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}

/**
 * The management secret for this tab: taken once from a `#secret=<value>` fragment (then removed
 * from the address bar so it is not bookmarked or shared), else from sessionStorage. It is never
 * put in localStorage, a query string, or a log.
 */
export function takeSecret(env: SecretEnv): string | undefined {
  const match = /^#secret=([^&]+)/.exec(env.location.hash);
  if (match?.[1]) {
    const value = decodeURIComponent(match[1]);
    env.storage.setItem(KEY, value);
    env.history.replaceState(null, '', `${env.location.pathname}${env.location.search}#/dashboard`);
    return value;
  }
  return env.storage.getItem(KEY) ?? undefined;
}

export function storeSecret(storage: SecretEnv['storage'], secret: string): void {
  storage.setItem(KEY, secret);
}

export function forgetSecret(storage: SecretEnv['storage']): void {
  storage.removeItem(KEY);
}
