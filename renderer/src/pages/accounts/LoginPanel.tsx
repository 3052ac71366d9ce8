import { useEffect, useState } from 'react';
import type { MethodOutputs } from '../../../../shared/contract';
import { CopyButton } from '../../components/CopyButton';
import { Countdown } from '../../components/Countdown';
import { useBridge } from '../../store/context';

type LoginStart = MethodOutputs['startLogin'];
type LoginState = MethodOutputs['getLogin'];

/**
 * A sign-in in progress: the browser flow says where to finish, the device flow shows its code large
 * with copy, open-link and a countdown. Ends with the outcome; `onFinished` refreshes the accounts.
 */
export function LoginPanel({
  login,
  provider,
  onFinished,
  onClose,
}: {
  login: LoginStart;
  provider: string;
  onFinished(): void;
  onClose(): void;
}) {
  const bridge = useBridge();
  const [state, setState] = useState<LoginState>({ status: 'pending' });

  // The outcome is pushed (loginChanged); one read on mount covers a sign-in that ended before the
  // subscription, and a reconnect of the event stream re-reads what may have been missed.
  // biome-ignore lint/correctness/useExhaustiveDependencies: one subscription per login id
  useEffect(() => {
    let settled = false;
    const apply = (next: LoginState) => {
      if (settled) return;
      setState(next);
      if (next.status !== 'pending') {
        settled = true;
        onFinished();
      }
    };
    const read = () =>
      bridge.getLogin({ id: login.id }).then(apply, (error: Error) => {
        apply({ status: 'error', error: error.message });
      });
    const offLogin = bridge.on('loginChanged', (update) => {
      if (update.id !== login.id) return;
      apply({
        status: update.status,
        ...(update.error ? { error: update.error } : {}),
        ...(update.identity ? { identity: update.identity } : {}),
      });
    });
    let previous: string | undefined;
    const offConnection = bridge.onConnection((connection) => {
      if (connection.kind === 'open' && previous !== undefined && previous !== 'open') void read();
      previous = connection.kind;
    });
    void read();
    return () => {
      settled = true;
      offLogin();
      offConnection();
    };
  }, [login.id]);

  const cancel = async () => {
    await bridge.cancelLogin({ id: login.id }).catch(() => undefined);
    onClose();
  };

  const title = `Signing in to ${provider}`;
  return (
    <section className="card" aria-label={title}>
      <h3>{title}</h3>
      {state.status === 'pending' ? (
        login.kind === 'device' ? (
          <div>
            <p>Enter this code on the provider's page:</p>
            <div className="row">
              <output className="device-code" aria-label="Device code">
                {login.user_code}
              </output>
              <CopyButton text={login.user_code ?? ''} label="Copy the device code" />
            </div>
            <p className="row">
              <a className="button primary" href={login.verification_uri} target="_blank" rel="noreferrer">
                Open the sign-in page
              </a>
              <span className="muted">
                Code expires in <Countdown until={login.expires_at} />
              </span>
            </p>
          </div>
        ) : (
          <div>
            <p>A browser window was opened to sign in. Finish there; this page updates by itself.</p>
            <p className="row">
              <a className="button" href={login.url} target="_blank" rel="noreferrer">
                Open the sign-in page again
              </a>
              <span className="muted">
                Waiting · expires in <Countdown until={login.expires_at} />
              </span>
            </p>
          </div>
        )
      ) : null}
      <p role="status" aria-live="polite">
        {state.status === 'pending'
          ? 'Waiting for you to approve…'
          : state.status === 'ok'
            ? `Signed in${state.identity ? ` as ${state.identity}` : ''}. The account is ready to serve requests.`
            : state.status === 'expired'
              ? 'The code expired before it was approved. Start again.'
              : state.status === 'cancelled'
                ? 'Sign-in cancelled.'
                : `Sign-in failed: ${state.error ?? 'unknown error'}`}
      </p>
      <div className="row">
        {state.status === 'pending' ? (
          <button type="button" className="button" onClick={cancel}>
            Cancel sign-in
          </button>
        ) : (
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        )}
      </div>
    </section>
  );
}
