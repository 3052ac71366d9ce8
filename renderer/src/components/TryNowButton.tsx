import { useState } from 'react';
import { useBridge } from '../store/context';
import { ErrorText } from './ErrorText';

/**
 * "Try now": ends the cooldowns of these accounts, so the next request may use them again. For when
 * the user knows better than the upstream's Retry-After (a quota was raised, a plan renewed).
 * The badge clears through the pushed status.
 */
export function TryNowButton({ accounts, label }: { accounts: string[]; label: string }) {
  const bridge = useBridge();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const tryNow = async () => {
    setBusy(true);
    setError(null);
    try {
      for (const account of accounts) await bridge.endCooldowns({ account });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        className="button small"
        disabled={busy}
        onClick={() => void tryNow()}
        aria-label={label}
        title="End the cooldown: the next request may use this account again"
      >
        {busy ? 'Ending…' : 'Try now'}
      </button>
      <ErrorText error={error} />
    </>
  );
}
