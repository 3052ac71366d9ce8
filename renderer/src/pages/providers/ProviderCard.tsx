import { useEffect, useState } from 'react';
import type { AppState } from '../../../../shared/contract';
import type { AccountQuota, CooldownView, ProviderHealth } from '../../../../shared/status';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorText } from '../../components/ErrorText';
import { Toggle } from '../../components/Toggle';
import { TryNowButton } from '../../components/TryNowButton';
import { formatMs, formatTime } from '../../format';
import { hrefOf } from '../../routes';
import { useBridge } from '../../store/context';
import { QuotaBar } from '../accounts/AccountRow';
import { ModelRow } from './ModelRow';
import { PriorityField } from './PriorityField';

type Provider = AppState['providers'][number];

function HealthBadge({ health, cooling }: { health: ProviderHealth | undefined; cooling: number }) {
  if (cooling > 0) return <span className="badge warn">{cooling} cooling down</span>;
  if (!health) return <span className="badge">Not checked yet</span>;
  return health.ok ? (
    <span className="badge ok" title={`checked ${formatTime(health.checkedAt)}`}>
      Healthy · {formatMs(health.latencyMs)}
    </span>
  ) : (
    <span className="badge bad" title={health.error ?? ''}>
      Failing{health.status ? ` · HTTP ${health.status}` : ''}
    </span>
  );
}

export function ProviderCard({
  provider,
  health,
  cooldowns,
  accounts,
  quota,
}: {
  provider: Provider;
  health: ProviderHealth | undefined;
  cooldowns: CooldownView[];
  accounts: number;
  /** What the API key's rate-limit headers said last (x-ratelimit-*, anthropic-ratelimit-*). */
  quota?: AccountQuota | undefined;
}) {
  const bridge = useBridge();
  const [pending, setPending] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const enabled = pending ?? provider.enabled;
  // The result reaches the badge through the pushed status, like every other check's.
  const checkNow = async () => {
    setChecking(true);
    setError(null);
    try {
      await bridge.checkProviderHealth({ provider: provider.name });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setChecking(false);
    }
  };
  // The switch shows the wanted state until the reloaded config confirms it.
  useEffect(() => {
    if (pending !== null && provider.enabled === pending) setPending(null);
  }, [pending, provider.enabled]);
  const subscription = provider.authType !== 'api_key';
  const titleId = `provider-${provider.name}`;

  const toggle = async (next: boolean) => {
    setPending(next);
    setError(null);
    try {
      await bridge.setProviderEnabled({ provider: provider.name, enabled: next });
    } catch (e) {
      setError((e as Error).message);
      setPending(null);
    }
  };

  return (
    <article className="card" aria-labelledby={titleId}>
      <div className="row spread">
        <div className="row">
          <Toggle checked={enabled} label={`Enable ${provider.name}`} onChange={toggle} />
          <h2 id={titleId} style={{ margin: 0 }}>
            {provider.name}
          </h2>
        </div>
        <span className="row" style={{ gap: 6 }}>
          <HealthBadge health={health} cooling={cooldowns.length} />
          {cooldowns.length > 0 && !subscription ? (
            <TryNowButton
              accounts={[...new Set(cooldowns.map((c) => c.account))]}
              label={`Try ${provider.name} now`}
            />
          ) : null}
          {subscription ? null : (
            // A subscription's accounts sign in one by one; its health shows in their cooldowns.
            <button
              type="button"
              className="button small"
              disabled={checking}
              onClick={() => void checkNow()}
              aria-label={`Check ${provider.name} now`}
            >
              {checking ? 'Checking…' : 'Check'}
            </button>
          )}
        </span>
      </div>
      <p className="muted small">
        {provider.type} · {subscription ? 'subscription sign-in' : 'API key'}
        {provider.endpoint ? (
          <>
            {' '}
            · <code>{provider.endpoint}</code>
          </>
        ) : null}
        {provider.prefix ? (
          <>
            {' '}
            · prefix <code>{provider.prefix}</code>
          </>
        ) : null}
      </p>
      {quota?.windows.map((w) => (
        <QuotaBar key={w.name} window={w} label={provider.name} />
      ))}
      {subscription ? (
        <p className="small">
          {accounts === 0 ? 'No account signed in. ' : `${accounts} account${accounts === 1 ? '' : 's'}. `}
          <a href={hrefOf('accounts')}>{accounts === 0 ? 'Sign in on Accounts' : 'Manage accounts'}</a>
        </p>
      ) : null}
      {provider.modelEntries.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">On</th>
              <th scope="col">Model</th>
              <th scope="col">Alias</th>
            </tr>
          </thead>
          <tbody>
            {provider.modelEntries.map((model) => (
              <ModelRow key={model.name} provider={provider.name} model={model} onError={setError} />
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted small">
          {provider.models.length > 0
            ? `Serves its default models: ${provider.models.join(', ')}`
            : 'No models listed: it serves the defaults of its type. List models in the Config page to pick them.'}
        </p>
      )}
      <ErrorText error={error} />
      <div className="row spread" style={{ marginTop: 10 }}>
        <PriorityField provider={provider.name} priority={provider.priority} onError={setError} />
        <ConfirmButton
          label="Remove"
          question={`Remove ${provider.name} from config.yaml?`}
          onConfirm={async () => {
            try {
              await bridge.removeProvider({ provider: provider.name });
            } catch (e) {
              setError((e as Error).message);
            }
          }}
        />
      </div>
    </article>
  );
}
