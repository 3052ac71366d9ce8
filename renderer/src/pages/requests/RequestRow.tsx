import { memo } from 'react';
import type { RequestRecord } from '../../../../shared/records';
import { formatInt, formatMs, formatTime, formatUsd } from '../../format';
import { hrefOf } from '../../routes';

/** One logged request; records never change, so a row renders once however busy the log is. */
export const RequestRow = memo(function RequestRow({ record }: { record: RequestRecord }) {
  const failed = record.status >= 400;
  return (
    <tr>
      <td>
        <a
          href={hrefOf('requests', record.id)}
          aria-label={`Details of the ${record.model} request at ${formatTime(record.started_at)}`}
        >
          {formatTime(record.started_at)}
        </a>
      </td>
      <td>{record.client_key ?? <span className="muted">—</span>}</td>
      <td>
        {record.model}
        {record.resolved_model && record.resolved_model !== record.model ? (
          <span className="muted"> → {record.resolved_model}</span>
        ) : null}
      </td>
      <td>
        {record.provider ?? <span className="muted">—</span>}
        {record.account && record.account !== record.provider ? (
          <span className="muted"> / {record.account}</span>
        ) : null}
      </td>
      <td>
        <span className={`badge ${failed ? 'bad' : 'ok'}`}>{record.status}</span>
      </td>
      <td className="num">{record.attempts.length}</td>
      <td className="num">{formatMs(record.ttft_ms)}</td>
      <td className="num">{formatMs(record.duration_ms)}</td>
      <td className="num">
        {formatInt(record.input_tokens)} / {formatInt(record.output_tokens)}
      </td>
      <td className="num">{formatUsd(record.cost_usd)}</td>
    </tr>
  );
});
