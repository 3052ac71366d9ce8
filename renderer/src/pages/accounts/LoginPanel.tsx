import { useEffect, useState } from 'react';
import type { MethodOutputs } from '../../../../shared/contract';
import { CopyButton } from '../../components/CopyButton';
import { Countdown } from '../../components/Countdown';
import { useBridge } from '../../store/context';

type LoginStart = MethodOutputs['startLogin'];
type LoginState = MethodOutputs['getLogin'];

/** How often a pending sign-in is asked about; sign-ins have no pushed event. */
const POLL_MS = 1_000;

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

  // biome-ignore lint/correctness/useExhaustiveDependencies: one poll loop per login id
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await bridge.getLogin({ id: login.id });
        if (stopped) return;
        setState(next);
        if (next.status !== 'pending') {
          onFinished();
          return;
        }
      } catch (error) {
        if (stopped) return;
        setState({ status: 'error', error: (error as Error).message });
        return;
      }
      timer = setTimeout(poll, POLL_MS);
    };
    timer = setTimeout(poll, POLL_MS);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
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
            ? 'Signed in. The account is ready to serve requests.'
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
