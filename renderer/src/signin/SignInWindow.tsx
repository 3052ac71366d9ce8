import { useCallback, useEffect, useReducer } from 'react';
import type { Bridge } from '../bridge/types';
import { CopyButton } from '../components/CopyButton';
import { Countdown } from '../components/Countdown';
import { signInReducer } from './flow';

/**
 * The small window main opens for "Sign in…" in the tray: starts the login, sends the browser to
 * the provider (window.open goes to the system browser), shows a device code large with copy and
 * open buttons and its countdown, then the result — all from pushed loginChanged events.
 */
export function SignInWindow({ bridge, provider }: { bridge: Bridge; provider: string }) {
  const [state, dispatch] = useReducer(signInReducer, { step: 'starting' });

  useEffect(() => bridge.on('loginChanged', (update) => dispatch({ type: 'update', update })), [bridge]);

  useEffect(() => {
    if (state.step !== 'starting') return;
    let cancelled = false;
    bridge.startLogin({ provider }).then(
      (login) => {
        if (cancelled) return;
        dispatch({ type: 'started', login });
        if (login.kind === 'browser' && login.url) window.open(login.url, '_blank', 'noopener');
      },
      (error: Error) => !cancelled && dispatch({ type: 'start-failed', message: error.message }),
    );
    return () => {
      cancelled = true;
    };
  }, [bridge, provider, state.step]);

  const cancel = useCallback(() => {
    if (state.step === 'waiting') void bridge.cancelLogin({ id: state.login.id });
    window.close();
  }, [bridge, state]);

  return (
    <main className="signin-window" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to {provider}</h1>
      {state.step === 'starting' && (
        <p role="status" className="muted">
          Starting the sign-in…
        </p>
      )}
      {state.step === 'waiting' && state.login.kind === 'browser' && (
        <section>
          <p role="status">Finish signing in in your browser. This window updates when you are done.</p>
          <div className="row">
            <button
              type="button"
              className="button"
              onClick={() => state.login.url && window.open(state.login.url, '_blank', 'noopener')}
            >
              Open the sign-in page again
            </button>
            <button type="button" className="button" onClick={cancel}>
              Cancel
            </button>
          </div>
        </section>
      )}
      {state.step === 'waiting' && state.login.kind === 'device' && (
        <section>
          <p>Enter this code on the provider's page:</p>
          <p className="device-code">
            <code>{state.login.user_code}</code>
          </p>
          <div className="row">
            <CopyButton text={state.login.user_code ?? ''} label="Copy the device code" />
            <button
              type="button"
              className="button primary"
              onClick={() =>
                state.login.verification_uri &&
                window.open(state.login.verification_uri, '_blank', 'noopener')
              }
            >
              Open {state.login.verification_uri ? new URL(state.login.verification_uri).host : 'the page'}
            </button>
            <button type="button" className="button" onClick={cancel}>
              Cancel
            </button>
          </div>
          <p className="muted" role="status">
            Waiting for approval — the code expires in <Countdown until={state.login.expires_at} />.
          </p>
        </section>
      )}
      {state.step === 'done' && (
        <section>
          <p role="status">
            Signed in{state.identity ? ` as ${state.identity}` : ''}. The account is ready to serve.
          </p>
          <button type="button" className="button primary" onClick={() => window.close()}>
            Close
          </button>
        </section>
      )}
      {state.step === 'failed' && (
        <section>
          <p role="alert" className="error-text">
            {state.message}
          </p>
          <div className="row">
            <button type="button" className="button primary" onClick={() => dispatch({ type: 'retry' })}>
              Try again
            </button>
            <button type="button" className="button" onClick={() => window.close()}>
              Close
            </button>
          </div>
        </section>
      )}
    </main>
  );
}
