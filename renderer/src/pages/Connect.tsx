import { useEffect, useState } from 'react';
import type { ToolConnection } from '../../../shared/contract';
import { CopyButton } from '../components/CopyButton';
import { ErrorText } from '../components/ErrorText';
import { useApp, useBridge } from '../store/context';
import { KEY_PLACEHOLDER, snippetsFor } from './connect/snippets';
import { ToolCard } from './connect/ToolCard';

export function Connect() {
  const bridge = useBridge();
  const url = useApp((s) => s.status?.url ?? null);
  const firstModel = useApp((s) => s.app?.providers.find((p) => p.enabled && p.models.length > 0)?.models[0]);
  const [tools, setTools] = useState<ToolConnection[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    bridge.getTools({}).then(
      (r) => setTools(r.tools),
      (e: Error) => setError(e.message),
    );
  }, [bridge]);

  const base = url ?? 'http://127.0.0.1:8317';
  return (
    <div className="page">
      <h1>Connect tools</h1>
      {!url ? (
        <p className="card warn">
          The proxy is stopped; start it first, or these settings will point nowhere.
        </p>
      ) : null}
      <ErrorText error={error} />
      <div className="grid2">
        {tools?.map((t) => (
          <ToolCard
            key={t.tool}
            tool={t}
            onChange={(next) => setTools((all) => all?.map((x) => (x.tool === next.tool ? next : x)) ?? null)}
          />
        ))}
      </div>
      <section className="card" aria-labelledby="snippets-title">
        <h2 id="snippets-title">Other tools and SDKs</h2>
        <p className="muted">
          Replace <code>{KEY_PLACEHOLDER}</code> with one of <code>api_keys</code> from config.yaml (any value
          works when the list is empty).
        </p>
        <div className="page" style={{ gap: 12 }}>
          {snippetsFor(base, firstModel ?? 'gpt-4o-mini').map((s) => (
            <div key={s.id}>
              <div className="row spread">
                <h3 id={`snippet-${s.id}`}>
                  {s.title} <span className="muted small">{s.where}</span>
                </h3>
                <CopyButton text={s.code} label={`Copy the ${s.title} setup`} />
              </div>
              <pre>
                <code>{s.code}</code>
              </pre>
            </div>
          ))}
        </div>
      </section>
    </div>
  );
}
