import { useEffect, useState } from 'react';
import type { RequestBodies } from '../../../../shared/records';
import { useBridge } from '../../store/context';

type Loaded = { state: 'loading' } | { state: 'none' } | { state: 'error'; message: string } | RequestBodies;

function Body({ title, text, truncated }: { title: string; text: string | null; truncated: boolean }) {
  return (
    <details className="body-log" open>
      <summary>
        {title}
        {truncated ? <span className="muted"> (cut at log_body_max_bytes)</span> : null}
      </summary>
      {text === null ? <p className="muted">None.</p> : <pre>{text}</pre>}
    </details>
  );
}

/** The request and response bodies log_bodies kept for one request, or why there are none. */
export function RequestBodiesView({ id }: { id: string }) {
  const bridge = useBridge();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    bridge.getRequestBodies({ id }).then(
      ({ bodies }) => current && setLoaded(bodies ?? { state: 'none' }),
      (error: Error) => current && setLoaded({ state: 'error', message: error.message }),
    );
    return () => {
      current = false;
    };
  }, [bridge, id]);
  if ('state' in loaded) {
    if (loaded.state === 'loading') return <p className="muted">Loading the bodies…</p>;
    if (loaded.state === 'error')
      return <p className="card warn">Could not read the bodies: {loaded.message}</p>;
    return (
      <p className="muted">
        No bodies were kept for this request. Set <code>log_bodies: true</code> in the config to keep them
        (secrets redacted, each cut at <code>log_body_max_bytes</code>).
      </p>
    );
  }
  return (
    <>
      <Body title="Request" text={loaded.request} truncated={loaded.request_truncated} />
      <Body title="Response" text={loaded.response} truncated={loaded.response_truncated} />
    </>
  );
}
