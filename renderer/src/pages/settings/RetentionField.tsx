import { useEffect, useState } from 'react';
import { useBridge } from '../../store/context';

/** Days of request records kept (usage_retention_days), written to config.yaml on blur or Enter. */
export function RetentionField({ days, onError }: { days: number; onError(message: string | null): void }) {
  const bridge = useBridge();
  const [draft, setDraft] = useState(String(days));
  const [saved, setSaved] = useState(false);
  // A reload (or another window) changed it: show the file's value.
  useEffect(() => setDraft(String(days)), [days]);
  const save = async () => {
    const next = Number(draft.trim());
    if (draft.trim() === '' || !Number.isInteger(next) || next < 1 || next > 3650) {
      onError('Keep requests for a whole number of days between 1 and 3650.');
      return;
    }
    if (next === days) return;
    onError(null);
    setSaved(false);
    try {
      await bridge.setUsageRetention({ days: next });
      setSaved(true);
    } catch (error) {
      onError((error as Error).message);
      setDraft(String(days));
    }
  };
  return (
    <span className="row small" style={{ marginTop: 12 }}>
      <label htmlFor="retention-days">Keep request records for</label>
      <input
        id="retention-days"
        className="priority-input"
        type="number"
        inputMode="numeric"
        min={1}
        max={3650}
        step={1}
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value);
          setSaved(false);
        }}
        onBlur={() => void save()}
        onKeyDown={(e) => {
          if (e.key === 'Enter') void save();
        }}
        aria-describedby="retention-hint"
      />
      <span id="retention-hint" className="muted">
        days (<code>usage_retention_days</code>; older records are pruned hourly){saved ? ' · saved' : ''}
      </span>
    </span>
  );
}
