import type { LoginUpdate, MethodOutputs } from '../../shared/contract';
import type { AccountView } from './account';

/** What the window is shown of a sign-in in progress (the IPC contract's type). */
export type LoginStart = MethodOutputs['startLogin'];

export interface LoginState {
  status: LoginUpdate['status'];
  account?: AccountView;
  error?: string;
}

export interface LoginSession extends LoginStart {
  provider: string;
  state: LoginState;
  cancel(): void;
  /** Browser logins redirected to the app's own scheme wait for `completeAppCallback`. */
  appCallback?: { state: string; complete(url: URL): Promise<void> };
}

/** What the window may see of a login: never the app-callback state. */
export function publicStart(session: LoginSession): LoginStart {
  return {
    id: session.id,
    kind: session.kind,
    expires_at: session.expires_at,
    ...(session.url ? { url: session.url } : {}),
    ...(session.user_code ? { user_code: session.user_code } : {}),
    ...(session.verification_uri ? { verification_uri: session.verification_uri } : {}),
  };
}
