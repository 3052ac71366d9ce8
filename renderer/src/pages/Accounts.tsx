import { useState } from 'react';
import type { MethodOutputs } from '../../../shared/contract';
import { EmptyState } from '../components/EmptyState';
import { ErrorText } from '../components/ErrorText';
import { hrefOf } from '../routes';
import { useApp, useBridge } from '../store/context';
import { AccountRow } from './accounts/AccountRow';
import { AddSubscription } from './accounts/AddSubscription';
import { KiroImport } from './accounts/KiroImport';
import { LoginPanel } from './accounts/LoginPanel';

type Login = MethodOutputs['startLogin'] & { provider: string };

export function Accounts() {
  const bridge = useBridge();
  const allProviders = useApp((s) => s.app?.providers ?? []);
  const providers = allProviders.filter((p) => p.authType !== 'api_key');
  const accounts = useApp((s) => s.app?.accounts ?? []);
  const status = useApp((s) => s.status);
  const refreshState = useApp((s) => s.refreshState);
  const [login, setLogin] = useState<Login | null>(null);
  const [error, setError] = useState<string | null>(null);

  const signIn = async (provider: string) => {
    setError(null);
    try {
      const started = await bridge.startLogin({ provider });
      setLogin({ ...started, provider });
      if (started.kind === 'browser' && started.url)
        window.open(started.url, '_blank', 'noopener,noreferrer');
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="page">
      <h1>Accounts</h1>
      <ErrorText error={error} />
      {providers.length === 0 ? (
        <EmptyState title="No subscription providers">
          <p>
            Subscriptions (Claude, ChatGPT/Codex, Gemini CLI, GitHub Copilot, Kiro) are entries with
            <code>auth_type: oauth</code> or <code>device_flow</code>. Add one below (or in the{' '}
            <a href={hrefOf('config')}>Config</a> editor), then sign in here.
          </p>
        </EmptyState>
      ) : null}
      {providers.map((p) => {
        const own = accounts.filter((a) => a.provider === p.name);
        return (
          <section key={p.name} className="card" aria-labelledby={`acc-${p.name}`}>
            <div className="row spread">
              <h2 id={`acc-${p.name}`}>
                {p.name} <span className="muted small">{p.type}</span>
              </h2>
              <button
                type="button"
                className="button primary"
                onClick={() => signIn(p.name)}
                disabled={login?.provider === p.name}
                aria-label={`Sign in to ${p.name}`}
              >
                Sign in
              </button>
            </div>
            {p.type === 'kiro' ? (
              <KiroImport provider={p.name} onImported={() => void refreshState().catch(() => undefined)} />
            ) : null}
            {login?.provider === p.name ? (
              <LoginPanel
                login={login}
                provider={p.name}
                onFinished={() => void refreshState().catch(() => undefined)}
                onClose={() => setLogin(null)}
              />
            ) : null}
            {own.length === 0 ? (
              <p className="muted">
                {p.type === 'kiro'
                  ? 'No account yet. Sign in, or import the sign-in Kiro already has on this computer.'
                  : 'No account yet. Use Sign in to add one.'}
              </p>
            ) : (
              <ul className="page" style={{ listStyle: 'none', padding: 0, gap: 8 }}>
                {own.map((a) => (
                  <AccountRow
                    key={a.id}
                    account={a}
                    cooldowns={status?.cooldowns.filter((c) => c.account === a.id) ?? []}
                    quota={status?.quotas.find((q) => q.account === a.id)}
                    onRelogin={() => signIn(p.name)}
                    onRemove={async () => {
                      await bridge.removeAccount({ id: a.id });
                      await refreshState();
                    }}
                    {...(p.type === 'gemini_cli'
                      ? { onProjectChanged: () => void refreshState().catch(() => undefined) }
                      : {})}
                  />
                ))}
              </ul>
            )}
          </section>
        );
      })}
      <AddSubscription
        takenNames={allProviders.map((p) => p.name)}
        onAdded={() => void refreshState().catch(() => undefined)}
      />
    </div>
  );
}
