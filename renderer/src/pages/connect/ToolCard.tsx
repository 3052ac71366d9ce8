import { useState } from 'react';
import type { ToolConnection } from '../../../../shared/contract';
import { ErrorText } from '../../components/ErrorText';
import { useBridge } from '../../store/context';

/** One click to point a tool at the proxy (its config backed up first), and an undo. */
export function ToolCard({ tool, onChange }: { tool: ToolConnection; onChange(next: ToolConnection): void }) {
  const bridge = useBridge();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const run = async (action: 'connect' | 'undo') => {
    setBusy(true);
    setError(null);
    try {
      const next =
        action === 'connect'
          ? await bridge.connectTool({ tool: tool.tool })
          : await bridge.undoConnectTool({ tool: tool.tool });
      onChange(next);
      setNote(
        action === 'connect'
          ? `${tool.label} now uses the proxy. Restart it to pick up the change.`
          : `Restored ${tool.files[0] ?? 'the previous config'} from its backup.`,
      );
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <article className="card" aria-labelledby={`tool-${tool.tool}`}>
      <div className="row spread">
        <h2 id={`tool-${tool.tool}`}>{tool.label}</h2>
        <span className={`badge ${tool.connected ? 'ok' : ''}`}>
          {tool.connected ? 'Connected' : 'Not connected'}
        </span>
      </div>
      <p className="muted small">
        Writes{' '}
        {tool.files.map((f) => (
          <code key={f}>{f}</code>
        ))}
        ; a timestamped backup is kept beside it.
      </p>
      <div className="row">
        <button type="button" className="button primary" disabled={busy} onClick={() => run('connect')}>
          {tool.connected ? `Reconnect ${tool.label}` : `Connect ${tool.label}`}
        </button>
        <button
          type="button"
          className="button"
          disabled={busy || tool.backups.length === 0}
          onClick={() => run('undo')}
        >
          Undo
        </button>
        {tool.backups.length > 0 ? (
          <span className="muted small">
            {tool.backups.length} backup{tool.backups.length === 1 ? '' : 's'}
          </span>
        ) : null}
      </div>
      <p role="status" className="small">
        {note}
      </p>
      <ErrorText error={error} />
    </article>
  );
}
