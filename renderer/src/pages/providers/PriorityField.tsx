import { useEffect, useState } from 'react';
import { useBridge } from '../../store/context';

/** The provider's routing priority (higher is tried first), written to config.yaml on blur or Enter. */
export function PriorityField({
  provider,
  priority,
  onError,
}: {
  provider: string;
  priority: number;
  onError(message: string | null): void;
}) {
  const bridge = useBridge();
  const [draft, setDraft] = useState(String(priority));
  // A reload (or another window) changed it: show the file's value.
  useEffect(() => setDraft(String(priority)), [priority]);
  const id = `priority-${provider}`;
  const save = async () => {
    const next = Number(draft.trim());
    if (draft.trim() === '' || !Number.isInteger(next) || Math.abs(next) > 1000) {
      onError('Priority must be a whole number between -1000 and 1000.');
      return;
    }
    if (next === priority) return;
    onError(null);
    try {
      await bridge.setProviderPriority({ provider, priority: next });
    } catch (error) {
      onError((error as Error).message);
      setDraft(String(priority));
    }
  };
  return (
    <span className="row small">
      <label htmlFor={id}>Priority</label>
      <input
        id={id}
        className="priority-input"
        type="number"
        inputMode="numeric"
        step={1}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => void save()}
        onKeyDown={(e) => {
          if (e.key === 'Enter') void save();
        }}
        aria-describedby={`${id}-hint`}
      />
      <span id={`${id}-hint`} className="muted">
        higher is tried first
      </span>
    </span>
  );
}
