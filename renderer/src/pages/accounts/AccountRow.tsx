import type { AccountSummary } from '../../../../shared/contract';
import {
  type AccountQuota,
  type CooldownView,
  type QuotaWindow,
  usedPercent,
} from '../../../../shared/status';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Countdown } from '../../components/Countdown';
import { TryNowButton } from '../../components/TryNowButton';
import { formatInt } from '../../format';
import { ProjectPicker } from './ProjectPicker';

/** One quota window: how much is used and when it resets. */
export function QuotaBar({ window, label }: { window: QuotaWindow; label: string }) {
  const used = usedPercent(window);
  return (
    <div className="quota">
      <span>{window.name}</span>
      {used === null ? (
        <span className="muted">
          {window.remaining !== undefined ? `${formatInt(window.remaining)} left` : 'no figure'}
        </span>
      ) : (
        <progress
          max={100}
          value={used}
          aria-label={`${label}: ${window.name} quota ${Math.round(used)}% used`}
        />
      )}
      <span className="muted">
        {used !== null ? `${Math.round(used)}% used` : ''}
        {window.resets_at ? (
          <>
            {' '}
            · resets in <Countdown until={window.resets_at} />
          </>
        ) : null}
      </span>
    </div>
  );
}

export function AccountRow({
  account,
  cooldowns,
  quota,
  onRelogin,
  onRemove,
  onProjectChanged,
}: {
  account: AccountSummary;
  cooldowns: CooldownView[];
  quota: AccountQuota | undefined;
  onRelogin(): void;
  onRemove(): Promise<void>;
  /** Set for accounts that run in a Google Cloud project (Gemini CLI): the row offers to change it. */
  onProjectChanged?: () => void;
}) {
  const cooling = [...cooldowns].sort((a, b) => b.until - a.until)[0];
  return (
    <li className="card" style={{ padding: 12 }}>
      <div className="row spread">
        <strong>{account.identity}</strong>
        {account.status === 'needs_login' ? (
          <span className="badge bad">Needs sign-in</span>
        ) : account.status === 'disabled' ? (
          <span className="badge">Disabled</span>
        ) : cooling ? (
          <span className="badge warn">
            Cooling until{' '}
            <time dateTime={new Date(cooling.until).toISOString()}>
              {/* a quota window can run for days: then the date too */}
              {new Date(cooling.until).toDateString() === new Date().toDateString()
                ? new Date(cooling.until).toLocaleTimeString()
                : new Date(cooling.until).toLocaleString()}
            </time>
          </span>
        ) : (
          <span className="badge ok">Active</span>
        )}
      </div>
      {account.status_reason ? <p className="muted small">{account.status_reason}</p> : null}
      {cooling ? (
        <div className="row" style={{ gap: 8 }}>
          <p className="muted small">
            {cooling.model}: {cooling.reason} — back in <Countdown until={cooling.until} />
          </p>
          <TryNowButton accounts={[account.id]} label={`Try ${account.identity} now`} />
        </div>
      ) : null}
      {quota?.windows.map((w) => (
        <QuotaBar key={w.name} window={w} label={account.identity} />
      ))}
      {onProjectChanged ? <ProjectPicker account={account} onChanged={onProjectChanged} /> : null}
      <div className="row" style={{ marginTop: 8 }}>
        <button type="button" className="button" onClick={onRelogin}>
          Sign in again
        </button>
        <ConfirmButton label="Remove" question={`Remove ${account.identity}?`} onConfirm={onRemove} />
      </div>
    </li>
  );
}
