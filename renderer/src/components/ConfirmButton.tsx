import { useState } from 'react';

/** A destructive action asks once more inline ("Remove x?" Yes / Cancel) before it runs. */
export function ConfirmButton({
  label,
  question,
  confirmLabel = 'Yes, remove',
  onConfirm,
}: {
  label: string;
  question: string;
  confirmLabel?: string;
  onConfirm(): Promise<void> | void;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking)
    return (
      <button type="button" className="button danger-outline" onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <fieldset className="confirm">
      <legend>{question}</legend>
      <button
        type="button"
        className="button danger"
        disabled={busy}
        // biome-ignore lint/a11y/noAutofocus: the question just appeared where the user was
        autoFocus
        onClick={async () => {
          setBusy(true);
          try {
            await onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </fieldset>
  );
}
