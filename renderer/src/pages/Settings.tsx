import { useState } from 'react';
import type { Prefs } from '../../../shared/prefs';
import { CopyButton } from '../components/CopyButton';
import { ErrorText } from '../components/ErrorText';
import { useApp, useBridge } from '../store/context';
import { LogBodiesToggle } from './settings/LogBodiesToggle';
import { RetentionField } from './settings/RetentionField';

const THEMES: Array<{ id: Prefs['theme']; label: string }> = [
  { id: 'system', label: 'System' },
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' },
];

export function Settings() {
  const bridge = useBridge();
  const app = useApp((s) => s.app);
  const prefs = useApp((s) => s.prefs);
  const setPrefs = useApp((s) => s.setPrefs);
  const running = useApp((s) => s.status?.running ?? false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const change = async (patch: Partial<Prefs>) => {
    setError(null);
    try {
      await setPrefs(patch);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const toggleRunning = async () => {
    setBusy(true);
    setError(null);
    try {
      await bridge.setRunning({ running: !running });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!app) return null;
  const paths: Array<[string, string]> = [
    ['Config', app.paths.config],
    ['Accounts', app.paths.authDir],
    ['Usage log', app.paths.usageDb],
  ];
  return (
    <div className="page">
      <h1>Settings</h1>
      <ErrorText error={error} />
      {app.secretsProtection === 'obfuscated' ? (
        <p className="card warn" role="note">
          Account tokens are only obfuscated on disk: this system offers no keychain to Electron (basic_text
          backend). Anyone who can read your home folder can recover them. Install and unlock a keyring (GNOME
          Keyring, KWallet) and restart the app to encrypt them.
        </p>
      ) : null}

      <section className="card" aria-labelledby="s-appearance">
        <h2 id="s-appearance">Appearance and startup</h2>
        <fieldset style={{ border: 'none', padding: 0, margin: '0 0 12px' }}>
          <legend style={{ fontWeight: 600, marginBottom: 4 }}>Theme</legend>
          <div className="row">
            {THEMES.map((t) => (
              <label key={t.id} className="row" style={{ fontWeight: 400, gap: 6, margin: 0 }}>
                <input
                  type="radio"
                  name="theme"
                  value={t.id}
                  checked={(prefs?.theme ?? 'system') === t.id}
                  onChange={() => change({ theme: t.id })}
                />
                {t.label}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="row" style={{ fontWeight: 400, gap: 6 }}>
          <input
            type="checkbox"
            checked={prefs?.launchAtLogin ?? false}
            onChange={(e) => change({ launchAtLogin: e.target.checked })}
          />
          Launch CLIProxy++ at login
        </label>
        {app.shell === 'browser' ? (
          <p className="muted small">
            Launch at login takes effect in the desktop app; the headless engine only stores it.
          </p>
        ) : null}
      </section>

      <section className="card" aria-labelledby="s-proxy">
        <h2 id="s-proxy">Proxy</h2>
        <div className="row">
          <span className={`badge ${running ? 'ok' : 'bad'}`}>{running ? 'Running' : 'Stopped'}</span>
          <button type="button" className="button" disabled={busy} onClick={toggleRunning}>
            {running ? 'Stop proxy' : 'Start proxy'}
          </button>
          {app.shell === 'electron' ? (
            <button type="button" className="button danger-outline" onClick={() => void bridge.quitApp({})}>
              Quit CLIProxy++
            </button>
          ) : null}
        </div>
        <p className="muted small">Stopping closes the listener; config, accounts and this window stay.</p>
      </section>

      <section className="card" aria-labelledby="s-secret">
        <h2 id="s-secret">Management secret</h2>
        {app.shell === 'browser' ? (
          <p>
            This tab reached the engine with <code>management_secret</code> from config.yaml. It is kept in
            this tab's session storage only (never in local storage or a URL) and forgotten when the tab
            closes; use
            <strong> Forget secret</strong> in the sidebar to drop it now. Change the secret in config.yaml to
            lock out every open tab.
          </p>
        ) : (
          <p>
            The desktop window talks to the engine directly and needs no secret. Browser tabs need
            management_secret.
          </p>
        )}
      </section>

      <section className="card" aria-labelledby="s-data">
        <h2 id="s-data">Data</h2>
        <table className="table">
          <tbody>
            {paths.map(([label, path]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td>
                  <code>{path}</code>
                </td>
                <td>
                  <CopyButton text={path} label={`Copy the ${label.toLowerCase()} path`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <RetentionField days={app.usageRetentionDays} onError={setError} />
        <LogBodiesToggle enabled={app.logBodies} onError={setError} />
        <p className="muted small">
          Account tokens are{' '}
          {app.secretsProtection === 'os-keychain'
            ? 'encrypted with the OS keychain.'
            : app.secretsProtection === 'obfuscated'
              ? 'only obfuscated (see above).'
              : 'stored in files only your user can read (mode 0600).'}
        </p>
      </section>
    </div>
  );
}
