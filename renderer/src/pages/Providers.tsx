import { useState } from 'react';
import { EmptyState } from '../components/EmptyState';
import { hrefOf } from '../routes';
import { useApp } from '../store/context';
import { AddProviderForm } from './providers/AddProviderForm';
import { ProviderCard } from './providers/ProviderCard';

export function Providers() {
  const providers = useApp((s) => s.app?.providers ?? []);
  const accounts = useApp((s) => s.app?.accounts ?? []);
  const status = useApp((s) => s.status);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <div className="page">
      <div className="row spread">
        <h1>Providers</h1>
        {!adding ? (
          <button type="button" className="button primary" onClick={() => setAdding(true)}>
            Add provider
          </button>
        ) : null}
      </div>
      <p role="status" className="muted">
        {notice}
      </p>
      {adding ? (
        <AddProviderForm
          takenNames={providers.map((p) => p.name)}
          onCancel={() => setAdding(false)}
          onDone={(name) => {
            setAdding(false);
            setNotice(`Added ${name} to config.yaml; it serves as soon as the config reloads.`);
          }}
        />
      ) : null}
      {providers.length === 0 && !adding ? (
        <EmptyState title="No providers configured">
          <p>
            Add an API key or an OpenAI-compatible aggregator with <strong>Add provider</strong>, or add a
            subscription entry in the <a href={hrefOf('config')}>Config</a> editor and sign in on Accounts.
          </p>
        </EmptyState>
      ) : (
        <div className="providers">
          {providers.map((p) => (
            <ProviderCard
              key={p.name}
              provider={p}
              health={status?.health[p.name]}
              cooldowns={status?.cooldowns.filter((c) => c.provider === p.name) ?? []}
              accounts={accounts.filter((a) => a.provider === p.name).length}
              quota={p.authType === 'api_key' ? status?.quotas.find((q) => q.account === p.name) : undefined}
            />
          ))}
        </div>
      )}
    </div>
  );
}
