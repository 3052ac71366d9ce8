/**
 * A token refresh that failed for now (no network, a timeout, the token endpoint's 5xx or 429). The
 * account keeps its sign-in; the request may use another account, and a later one tries again. In a
 * module of its own so the engine can tell it apart without loading the auth manager.
 */
export class RefreshUnavailableError extends Error {
  override name = 'RefreshUnavailableError';
}
