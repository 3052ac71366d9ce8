import { useId, useState } from 'react';
import type { AccountSummary, MethodOutputs } from '../../../../shared/contract';
import { useBridge } from '../../store/context';

type Listed = MethodOutputs['listAccountProjects'];

/**
 * A Gemini CLI account runs in one Google Cloud project: the one Code Assist named at sign-in, until
 * the user picks another of the projects their Google account can see.
 */
export function ProjectPicker({ account, onChanged }: { account: AccountSummary; onChanged(): void }) {
  const bridge = useBridge();
  const selectId = useId();
  const [listed, setListed] = useState<Listed | null>(null);
  const [choice, setChoice] = useState('');
  const [busy, setBusy] = useState<'loading' | 'saving' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const open = async () => {
    setBusy('loading');
    setError(null);
    try {
      const answer = await bridge.listAccountProjects({ id: account.id });
      setListed(answer);
      setChoice(answer.current ?? answer.projects[0]?.id ?? '');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const save = async () => {
    setBusy('saving');
    setError(null);
    try {
      await bridge.setAccountProject({ id: account.id, project: choice });
      setListed(null);
      onChanged();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="page" style={{ gap: 6, marginTop: 8 }}>
      <div className="row" style={{ gap: 8 }}>
        <span className="small">
          Project: <code>{account.project ?? 'none yet'}</code>
        </span>
        {listed ? null : (
          <button
            type="button"
            className="button"
            disabled={busy !== null}
            onClick={() => void open()}
            aria-label={`Change the Google Cloud project of ${account.identity}`}
          >
            {busy === 'loading' ? 'Loading projects…' : 'Change project'}
          </button>
        )}
      </div>
      {listed?.fixedByConfig ? (
        <p className="muted small">
          The provider entry sets <code>project_id: {listed.fixedByConfig}</code> for every account; change it
          in Config.
        </p>
      ) : null}
      {listed && !listed.fixedByConfig && listed.projects.length === 0 ? (
        <p className="muted small">This Google account sees no active Google Cloud project.</p>
      ) : null}
      {listed && !listed.fixedByConfig && listed.projects.length > 0 ? (
        <div className="row" style={{ gap: 8 }}>
          <label htmlFor={selectId} className="small">
            Google Cloud project
          </label>
          <select id={selectId} value={choice} onChange={(event) => setChoice(event.target.value)}>
            {listed.projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name === p.id ? p.id : `${p.name} (${p.id})`}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button primary"
            disabled={busy !== null || choice === '' || choice === listed.current}
            onClick={() => void save()}
          >
            {busy === 'saving' ? 'Saving…' : 'Use this project'}
          </button>
        </div>
      ) : null}
      {listed ? (
        <div>
          <button type="button" className="button" onClick={() => setListed(null)}>
            {listed.fixedByConfig || listed.projects.length === 0 ? 'Close' : 'Cancel'}
          </button>
        </div>
      ) : null}
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
