import { useEffect, useState } from 'react';
import { useBridge } from '../../store/context';

/** Opt-in body logging (log_bodies), written to config.yaml when toggled. */
export function LogBodiesToggle({
  enabled,
  onError,
}: {
  enabled: boolean;
  onError(message: string | null): void;
}) {
  const bridge = useBridge();
  const [checked, setChecked] = useState(enabled);
  const [busy, setBusy] = useState(false);
  // A reload (or another window) changed it: show the file's value.
  useEffect(() => setChecked(enabled), [enabled]);
  const toggle = async (next: boolean) => {
    setChecked(next);
    setBusy(true);
    onError(null);
    try {
      await bridge.setLogBodies({ enabled: next });
    } catch (error) {
      setChecked(!next);
      onError((error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="row small" style={{ marginTop: 12 }}>
      <input
        id="log-bodies"
        type="checkbox"
        checked={checked}
        disabled={busy}
        onChange={(e) => void toggle(e.target.checked)}
        aria-describedby="log-bodies-hint"
      />
      <label htmlFor="log-bodies">Keep request and response bodies</label>
      <span id="log-bodies-hint" className="muted">
        (<code>log_bodies</code>; secrets redacted, each body cut at <code>log_body_max_bytes</code>, shown in
        a request's details — prompts stay on this machine but do land on disk)
      </span>
    </span>
  );
}
