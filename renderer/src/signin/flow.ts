import type { LoginUpdate, MethodOutputs } from '../../../shared/contract';

/** The sign-in window's states, driven by the contract's answers and pushed loginChanged events. */
export type SignInState =
  | { step: 'starting' }
  | { step: 'waiting'; login: MethodOutputs['startLogin'] }
  | { step: 'done'; identity?: string }
  | { step: 'failed'; message: string; retry: boolean };

export type SignInEvent =
  | { type: 'started'; login: MethodOutputs['startLogin'] }
  | { type: 'start-failed'; message: string }
  | { type: 'update'; update: LoginUpdate }
  | { type: 'retry' };

const FAILURES: Record<Exclude<LoginUpdate['status'], 'pending' | 'ok'>, string> = {
  error: 'The sign-in failed.',
  expired: 'The code expired before the sign-in was approved.',
  cancelled: 'The sign-in was cancelled.',
};

export function signInReducer(state: SignInState, event: SignInEvent): SignInState {
  switch (event.type) {
    case 'started':
      return state.step === 'starting' ? { step: 'waiting', login: event.login } : state;
    case 'start-failed':
      return { step: 'failed', message: event.message, retry: true };
    case 'retry':
      return { step: 'starting' };
    case 'update': {
      // Updates for other logins (another window, the dashboard) are not ours.
      if (state.step !== 'waiting' || event.update.id !== state.login.id) return state;
      const { status } = event.update;
      if (status === 'pending') return state;
      if (status === 'ok')
        return event.update.identity ? { step: 'done', identity: event.update.identity } : { step: 'done' };
      const detail = event.update.error ? ` ${event.update.error}` : '';
      return { step: 'failed', message: `${FAILURES[status]}${detail}`, retry: true };
    }
  }
}

/** `#/signin/<provider>`: the route main opens the sign-in window at. */
export function signInProviderOf(hash: string): string | null {
  const match = /^#\/signin\/([^/?#]+)$/.exec(hash);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}
