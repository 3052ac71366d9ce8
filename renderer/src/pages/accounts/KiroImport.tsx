import { type ChangeEvent, useRef, useState } from 'react';
import { useBridge } from '../../store/context';

/**
 * Kiro keeps its own sign-in in ~/.aws/sso/cache/kiro-auth-token.json: the engine can take that one
 * over, or a token file the user picks (copied from another machine).
 */
export function KiroImport({ provider, onImported }: { provider: string; onImported: () => void }) {
  const bridge = useBridge();
  const fileInput = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const importToken = async (text?: string) => {
    setBusy(true);
    setResult(null);
    try {
      const { account } = await bridge.importKiroToken({ provider, ...(text !== undefined ? { text } : {}) });
      setResult({ ok: true, text: `Imported ${account.identity}.` });
      onImported();
    } catch (e) {
      setResult({ ok: false, text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const pickFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file) await importToken(await file.text());
  };

  return (
    <div className="row" style={{ gap: 8, flexWrap: 'wrap' }}>
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() => void importToken()}
        aria-label={`Import Kiro's own sign-in into ${provider}`}
      >
        Import Kiro's sign-in
      </button>
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() => fileInput.current?.click()}
        aria-label={`Import a Kiro token file into ${provider}`}
      >
        Import a token file…
      </button>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        hidden
        onChange={(event) => void pickFile(event)}
      />
      {result?.ok ? (
        <span role="status" className="muted">
          {result.text}
        </span>
      ) : null}
      {result && !result.ok ? (
        <span role="alert" className="error-text">
          {result.text}
        </span>
      ) : null}
    </div>
  );
}
