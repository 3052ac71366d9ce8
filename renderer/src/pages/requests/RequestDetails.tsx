import type { RequestRecord } from '../../../../shared/records';
import { Drawer } from '../../components/Drawer';
import { formatDateTime, formatInt, formatMs, formatUsd } from '../../format';
import { RequestBodiesView } from './RequestBodiesView';

/** Everything the log kept about one request, with every upstream attempt it took. */
export function RequestDetails({ record, onClose }: { record: RequestRecord; onClose(): void }) {
  const rows: Array<[string, string]> = [
    ['Started', formatDateTime(record.started_at)],
    ['Client key', record.client_key ?? '—'],
    ['API', `${record.inbound_format}${record.stream ? ' (stream)' : ''}`],
    ['Model', record.model],
    ['Resolved to', record.resolved_model ?? '—'],
    ['Provider / account', `${record.provider ?? '—'} / ${record.account ?? '—'}`],
    ['Status', String(record.status)],
    ['Time to first token', formatMs(record.ttft_ms)],
    ['Duration', formatMs(record.duration_ms)],
    ['Tokens in / out', `${formatInt(record.input_tokens)} / ${formatInt(record.output_tokens)}`],
    ['Cached / reasoning', `${formatInt(record.cached_tokens)} / ${formatInt(record.reasoning_tokens)}`],
    [
      'Output speed',
      record.output_tokens_per_second ? `${record.output_tokens_per_second.toFixed(1)} tok/s` : '—',
    ],
    [record.subscription ? 'Saved (API price)' : 'Cost', formatUsd(record.cost_usd)],
    ['Bytes in / out', `${formatInt(record.request_bytes)} / ${formatInt(record.response_bytes)}`],
  ];
  return (
    <Drawer title={`Request ${record.id}`} onClose={onClose}>
      {record.error ? (
        <p className="card warn" role="note">
          {record.error}
        </p>
      ) : null}
      <dl className="details">
        {rows.map(([k, v]) => (
          <div key={k} style={{ display: 'contents' }}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <h3>Attempts</h3>
      {record.attempts.length === 0 ? (
        <p className="muted">No upstream was tried (the request was refused before routing).</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Provider / account</th>
              <th scope="col">Status</th>
              <th scope="col">Outcome</th>
              <th scope="col" className="num">
                Duration
              </th>
            </tr>
          </thead>
          <tbody>
            {record.attempts.map((a, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: attempts are an ordered, immutable list
              <tr key={i}>
                <td>{i + 1}</td>
                <td>
                  {a.provider} / {a.account}
                </td>
                <td>{a.status ?? 'no answer'}</td>
                <td>{a.reason}</td>
                <td className="num">{formatMs(a.duration_ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Bodies</h3>
      <RequestBodiesView id={record.id} />
    </Drawer>
  );
}
