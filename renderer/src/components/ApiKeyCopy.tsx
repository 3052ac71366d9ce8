import { useEffect, useState } from 'react';
import { useBridge } from '../store/context';
import { CopyButton } from './CopyButton';

/** "Copy API key" (the tray's item, also in the window): the first of api_keys, never shown on screen. */
export function ApiKeyCopy() {
  const bridge = useBridge();
  const [key, setKey] = useState<{ key: string | null; name: string | null } | null>(null);
  useEffect(() => {
    let live = true;
    bridge.getClientKey({}).then(
      (answer) => live && setKey(answer),
      () => live && setKey({ key: null, name: null }),
    );
    return () => {
      live = false;
    };
  }, [bridge]);
  if (!key) return null;
  if (!key.key)
    return (
      <p className="muted small">
        No client keys are set (api_keys is empty): tools may send any key while the proxy listens on
        loopback.
      </p>
    );
  return (
    <p className="row">
      <span>API key{key.name ? ` “${key.name}”` : ''}: ••••••••</span>
      <CopyButton text={key.key} label="Copy the API key" />
    </p>
  );
}
