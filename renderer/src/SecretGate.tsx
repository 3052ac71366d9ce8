import { type FormEvent, useState } from 'react';
import { BridgeError } from './bridge/types';

/**
 * Browser mode asks once per tab for the management secret (config.yaml's management_secret) and
 * checks it before showing the app. The secret is kept in sessionStorage only.
 */
export function SecretGate({
  check,
  initialError,
}: {
  check(secret: string): Promise<void>;
  initialError?: string;
}) {
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | undefined>(initialError);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await check(secret.trim());
    } catch (e) {
      setError(e instanceof BridgeError || e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="gate">
      <form className="card gate-card" onSubmit={submit} aria-labelledby="gate-title">
        <h1 id="gate-title">CLIProxy++</h1>
        <p>
          Enter the <code>management_secret</code> from your config.yaml. It stays in this tab only and is
          forgotten when you close it.
        </p>
        <label htmlFor="management-secret">Management secret</label>
        <input
          id="management-secret"
          type="password"
          autoComplete="current-password"
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'gate-error' : undefined}
          required
        />
        {error ? (
          <p id="gate-error" className="error-text" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button primary" disabled={busy || !secret.trim()}>
          {busy ? 'Checking…' : 'Open dashboard'}
        </button>
      </form>
    </main>
  );
}
