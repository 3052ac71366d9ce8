import { useMemo } from 'react';
import { ApiKeyCopy } from '../components/ApiKeyCopy';
import { CopyButton } from '../components/CopyButton';
import { EmptyState } from '../components/EmptyState';
import { LineChart } from '../components/LineChart';
import { Stat } from '../components/Stat';
import { useNow } from '../components/use-now';
import { formatCompact, formatInt, formatMs, formatPercent, formatUsd } from '../format';
import { hrefOf } from '../routes';
import { useApp } from '../store/context';
import { denseSeries } from '../store/live-series';
import { recentStats } from '../store/recent';
import { topModels } from '../store/totals';
import type { ResolvedTheme } from '../theme';
import { endpointsOf } from './connect/snippets';

export function Dashboard({ theme }: { theme: ResolvedTheme }) {
  const status = useApp((s) => s.status);
  const providers = useApp((s) => s.app?.providers ?? []);
  const series = useApp((s) => s.series);
  const recent = useApp((s) => s.recent);
  const totals = useApp((s) => s.totals);
  const now = useNow(5_000);
  const dense = useMemo(() => denseSeries(series, now), [series, now]);
  const stats = useMemo(() => recentStats(recent, now, 3_600_000), [recent, now]);
  const top = topModels(totals);
  const lastMinute = dense.requests.at(-1) ?? 0;

  return (
    <div className="page">
      <h1>Dashboard</h1>
      <section className="card" aria-labelledby="state-title">
        <div className="row spread">
          <h2 id="state-title">Proxy</h2>
          <span className={`badge ${status?.running ? 'ok' : 'bad'}`}>
            {status?.running ? 'Running' : 'Stopped'}
          </span>
        </div>
        {status?.running && status.url ? (
          <ul className="endpoints">
            {endpointsOf(status.url).map((e) => (
              <li key={e.name}>
                <span className="endpoint-name">{e.name}</span>
                <code>{e.value}</code>
                <span className="muted small">{e.hint}</span>
                <CopyButton text={e.value} label={`Copy the ${e.name} base URL`} />
              </li>
            ))}
          </ul>
        ) : null}
        {status?.running && status.url ? (
          <ApiKeyCopy />
        ) : (
          <p className="muted">
            The proxy is not listening. Start it from the tray, or with Settings → Start proxy.
          </p>
        )}
        {providers.length === 0 ? (
          <EmptyState title="No providers yet">
            <p>
              Add an API key or an OpenAI-compatible aggregator on the{' '}
              <a href={hrefOf('providers')}>Providers</a> page, or sign in to a subscription on{' '}
              <a href={hrefOf('accounts')}>Accounts</a>.
            </p>
          </EmptyState>
        ) : null}
      </section>

      {status && status.configIssues.length > 0 ? (
        <section className="card warn" aria-labelledby="issues-title">
          <h2 id="issues-title">Config errors — the last good config keeps serving</h2>
          <ul>
            {status.configIssues.map((issue) => (
              <li key={`${issue.line}:${issue.col}:${issue.message}`}>
                line {issue.line}:{issue.col} {issue.path ? <code>{issue.path}</code> : null} {issue.message}
              </li>
            ))}
          </ul>
          <a href={hrefOf('config')}>Open the config editor</a>
        </section>
      ) : null}
      {status?.usageLogError ? (
        <p className="card warn" role="status">
          The usage log is not recording: {status.usageLogError}
        </p>
      ) : null}

      <div className="stats">
        <Stat label="Requests, last minute" value={formatInt(lastMinute)} />
        <Stat
          label="Success rate, last hour"
          value={formatPercent(stats.successRate)}
          hint={`${formatInt(stats.count)} requests`}
        />
        <Stat
          label="Latency p50 / p95"
          value={`${formatMs(stats.p50)} / ${formatMs(stats.p95)}`}
          hint="last hour"
        />
        <Stat
          label="Cost today"
          value={formatUsd(totals.costToday)}
          hint={totals.savedToday > 0 ? `${formatUsd(totals.savedToday)} on subscriptions` : 'at API prices'}
        />
        <Stat label="Cost, 30 days" value={formatUsd(totals.cost30d)} />
      </div>

      <div className="grid2">
        <section className="card" aria-labelledby="rpm-title">
          <h2 id="rpm-title">Requests per minute</h2>
          <LineChart
            label="Requests per minute, last hour"
            times={dense.t}
            series={[{ label: 'requests', values: dense.requests }]}
            theme={theme}
            kind="bars"
            summary={`${formatInt(dense.requests.reduce((a, b) => a + b, 0))} requests in the last hour`}
          />
        </section>
        <section className="card" aria-labelledby="tpm-title">
          <h2 id="tpm-title">Tokens per minute</h2>
          <LineChart
            label="Tokens per minute, last hour"
            times={dense.t}
            series={[{ label: 'tokens', values: dense.tokens, color: '#8b5cf6' }]}
            theme={theme}
            summary={`${formatCompact(dense.tokens.reduce((a, b) => a + b, 0))} tokens in the last hour`}
          />
        </section>
      </div>

      <section className="card" aria-labelledby="top-title">
        <h2 id="top-title">Top models, last 24 hours</h2>
        {top.length === 0 ? (
          <EmptyState title="No requests yet">
            <p>
              Point a tool at the OpenAI URL above (see <a href={hrefOf('connect')}>Connect tools</a>);
              requests appear here as they finish.
            </p>
          </EmptyState>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col" className="num">
                  Requests
                </th>
                <th scope="col" className="num">
                  Tokens
                </th>
                <th scope="col" className="num">
                  Cost
                </th>
              </tr>
            </thead>
            <tbody>
              {top.map((m) => (
                <tr key={m.model}>
                  <td>{m.model}</td>
                  <td className="num">{formatInt(m.requests)}</td>
                  <td className="num">{formatCompact(m.tokens)}</td>
                  <td className="num">{formatUsd(m.cost)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
